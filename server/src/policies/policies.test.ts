import { ACTIONS, assertMayReadAccount, authorize, can, mayReadAccount, type Actor } from './policies';

const reader: Actor = {
  userId: '005r',
  role: null,
  perms: ['Signalfit_Access'],
  accountId: 'a1',
  kind: 'panel',
};
const seller: Actor = { ...reader, perms: ['Signalfit_Access', 'Signalfit_Sales_Actions'] };
const panelAdmin: Actor = { ...reader, perms: ['Signalfit_Access', 'Signalfit_Admin'] };
const nobody: Actor = { userId: 'u', role: null, perms: [] };
const admin: Actor = { userId: 'u-admin', role: 'Admin' };

const allowed = (actor: Actor) => ACTIONS.filter((action) => can(actor, action));

describe('panel users', () => {
  it("read the panel's record only: Signalfit_Access reads, Signalfit_Sales_Actions also enrols and buys", () => {
    expect(allowed(reader)).toEqual(['accounts.view']);
    expect(allowed(seller)).toEqual(['accounts.view', 'outreach.enroll', 'contacts.acquire']);
    expect([
      mayReadAccount(reader, 'a1'),
      mayReadAccount(reader, 'a2'),
      mayReadAccount(reader, null),
    ]).toEqual([true, false, false]);
  });

  it('act as Admin with Signalfit_Admin, on any account and every account at once', () => {
    expect(allowed(panelAdmin)).toEqual(allowed(admin));
    expect(allowed(panelAdmin)).toEqual([...ACTIONS]);
    expect([mayReadAccount(panelAdmin, 'a2'), mayReadAccount(panelAdmin, null)]).toEqual([true, true]);
  });

  it('are told why they are refused: not in the panel, the permission, another record', () => {
    expect(() => authorize(reader, 'segments.view', 'reading segments')).toThrow(
      "reading segments is not offered in the Salesforce panel: it is for the app's Admin, Operations, Marketing, Sales, Insights, View Only roles and the Signalfit_Admin permission",
    );
    expect(() => authorize(reader, 'outreach.enroll', 'adding people to Outreach sequences')).toThrow(
      'adding people to Outreach sequences needs the Signalfit_Sales_Actions permission (or the Admin, Operations, Sales role)',
    );
    expect(() => assertMayReadAccount(reader, 'a2')).toThrow('this panel was opened for another record');
    expect(() => assertMayReadAccount(reader, null)).toThrow(
      "the accounts list is for the app's users and the Signalfit_Admin permission",
    );
  });
});

describe('an actor without a role or a permission', () => {
  it('may do nothing, and is told the roles that may', () => {
    expect(allowed(nobody)).toEqual([]);
    expect(mayReadAccount(nobody, 'a1')).toBe(false);
    expect(() => authorize(nobody, 'users.manage', 'adding users')).toThrow(
      'adding users is for the Admin roles',
    );
    expect(() => assertMayReadAccount(nobody, 'a1')).toThrow(
      'reading accounts is for the Admin, Operations, Marketing, Sales, Insights, View Only roles',
    );
  });
});

describe('app users and API keys', () => {
  it('read every account with any role', () => {
    expect(mayReadAccount({ userId: 'k', role: 'View Only', kind: 'api_key' }, null)).toBe(true);
    expect(mayReadAccount({ userId: 'u', role: 'Sales', kind: 'user' }, 'a2')).toBe(true);
  });
});
