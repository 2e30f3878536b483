// vitest setupFiles: every test file runs under the one HTTP-mock harness (test/support/http-mock.ts).
import { install } from '../support/http-mock.js';

install();
