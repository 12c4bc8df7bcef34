export * from './autonomy';
export * from './outcome';
