export * from './intake.repository';
