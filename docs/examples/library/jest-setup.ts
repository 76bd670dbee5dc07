// jest.config.js: { setupFilesAfterEnv: ['<rootDir>/jest-setup.ts'] }
import 'faultline/jest';
