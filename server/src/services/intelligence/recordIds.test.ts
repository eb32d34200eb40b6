import { candidateIds } from './recordIds';

describe('candidateIds', () => {
  it('asks for a Salesforce id as given, in its 18-character form and its 15-character form', () => {
    expect(candidateIds('001Ax00000AcMe1')).toEqual(['001Ax00000AcMe1', '001Ax00000AcMe1IAF']);
    expect(candidateIds('001Ax00000AcMe1IAF')).toEqual(['001Ax00000AcMe1IAF', '001Ax00000AcMe1']);
  });

  it('restores the case of an 18-character id a spreadsheet lower-cased', () => {
    expect(candidateIds('001ax00000acme1iaf')).toEqual([
      '001ax00000acme1iaf',
      '001Ax00000AcMe1IAF',
      '001Ax00000AcMe1',
    ]);
  });

  it('asks for any other id as given', () => {
    expect(candidateIds('acct-42')).toEqual(['acct-42']);
    expect(candidateIds('hubspot:9001')).toEqual(['hubspot:9001']);
  });
});
