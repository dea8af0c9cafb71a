import { afterAll, beforeAll, describe } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { ENGINES } from '../helpers/test-database.js';
import { authSuite, MAX_FAILURES } from './auth.suite.js';
import { resourcesSuite } from './resources.suite.js';

/**
 * The REST API as its clients use it. One application per engine serves both suites: an embedded
 * database costs seconds to start, and each suite keeps its tests apart by creating its own companies.
 */
describe.each(ENGINES)('REST API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, {
      KURA_LOGIN_MAX_FAILURES: String(MAX_FAILURES),
      KURA_LOGIN_LOCKOUT_MINUTES: '15',
    });
  });
  afterAll(() => t.close());

  authSuite(() => t);
  resourcesSuite(() => t);
});
