/** Fixtures for tests outside libs/domain (a store policy, an order snapshot). Never imported by product code. */
export { order, POLICY } from './src/triage/test-fixtures';
