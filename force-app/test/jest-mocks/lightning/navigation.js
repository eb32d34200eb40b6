/**
 * Jest mock of lightning/navigation (mapped in jest.config.js).
 * The mixin records the last page reference passed to Navigate / GenerateUrl so that tests can
 * assert on it; sfdx-lwc-jest's built-in stub records nothing.
 */
export const CurrentPageReference = jest.fn();

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

let navigateCall = { pageReference: undefined, replace: undefined };
let generateUrlCall = { pageReference: undefined };

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference, replace) {
      navigateCall = { pageReference, replace };
    }

    [GenerateUrl](pageReference) {
      generateUrlCall = { pageReference };
      return Promise.resolve('https://example.lightning.force.com/lightning/r/view');
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** The arguments of the last Navigate call. */
export const getNavigateCalledWith = () => navigateCall;

/** The arguments of the last GenerateUrl call. */
export const getGenerateUrlCalledWith = () => generateUrlCall;

/** Forgets recorded calls (call it in afterEach). */
export const resetNavigationMock = () => {
  navigateCall = { pageReference: undefined, replace: undefined };
  generateUrlCall = { pageReference: undefined };
};
