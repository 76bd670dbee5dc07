// `import 'faultline/jest'` (in a test or setupFilesAfterEnv) adds faultline's matchers to jest's
// global expect: `expect(result).toMeetObjectives()`, `expect(result).toRecoverWithin('2s')`.
import { faultlineMatchers, type FaultlineMatchers } from './library/matchers.js';

declare global {
  // jest's matcher types live in the global `jest` namespace (@types/jest, or @jest/globals' own).
  namespace jest {
    interface Matchers<R> extends FaultlineMatchers<R> {}
  }
}

const jestExpect = (globalThis as { expect?: { extend?: (m: object) => void } }).expect;
if (typeof jestExpect?.extend !== 'function') throw new Error("faultline/jest: no global expect; import it from a jest test or a setupFilesAfterEnv file");
jestExpect.extend(faultlineMatchers);

export { faultlineMatchers };
