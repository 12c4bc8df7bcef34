export * from './api-keys';
export * from './demo-users';
export * from './identity.entities';
export * from './identity.repository';
export * from './passwords';
