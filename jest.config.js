// Jest runs TypeScript through SWC (types are checked separately by `npm run typecheck`).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: [
    '<rootDir>/internal',
    '<rootDir>/backends',
    '<rootDir>/bin',
    '<rootDir>/keys',
    '<rootDir>/portal',
    '<rootDir>/gateway',
    '<rootDir>/sdks',
    '<rootDir>/examples',
  ],
  // The SDK as integrators import it; inside this repository it resolves to its sources (tsconfig paths).
  moduleNameMapper: { '^@portico/sdk$': '<rootDir>/sdks/typescript/src/index.ts' },
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  globalSetup: '<rootDir>/internal/src/testing/global-setup.ts',
  testTimeout: 30000,
  maxWorkers: '50%',
};
