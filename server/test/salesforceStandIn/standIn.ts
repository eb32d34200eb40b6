import { randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as toCsv } from 'csv-stringify/sync';
import { toSalesforceId18 } from '../../src/domain/salesforceId';
import {
  KEY_PREFIXES,
  LOOKUPS,
  RELATIONSHIP_OBJECTS,
  REQUIRED_ON_INSERT,
  RESTRICTED_PICKLISTS,
  STANDARD_FIELDS,
} from './schema';
import { SoqlError, matches, parseSoql, type ParsedQuery } from './soql';

/**
 * A Salesforce org on 127.0.0.1 that answers as Salesforce's documented APIs do:
 * the OAuth token endpoint (JWT bearer: signature, iss, sub, aud, exp checked), REST query and
 * queryAll with `nextRecordsUrl` paging, Bulk API 2.0 query jobs (CSV results paged by
 * `Sforce-Locator`) and ingest jobs (CSV upload, state changes, successful, failed and
 * unprocessed results), `Sforce-Limit-Info` on every API response, errors as
 * `[{errorCode, message}]` and per-row errors as `STATUS_CODE:message:fields`. Tests seed
 * records, inject faults, make paths hang and read back every request it received.
 */
export type FieldValue = string | number | boolean | null;
export type SfRecord = Record<string, FieldValue>;

export interface StandInOptions {
  clientId: string;
  username: string;
  /** The connected app's certificate key: assertions must verify with it. */
  publicKey: KeyObject;
  dailyApiLimit?: number;
  /** Calls already used today by others when the stand-in starts. */
  apiUsedAtStart?: number;
  /** Status checks a job answers InProgress before it is complete. */
  pollsUntilComplete?: number;
  /** Most records in a results page whatever maxRecords asks (Salesforce cuts pages by size too). */
  maxPageRecords?: number;
  /** Fields the org's admins added, by object: `{ Account: ['Tier__c'] }`. */
  customFields?: Record<string, string[]>;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
  /** When it arrived (ms since the epoch, real time): tests measure backoff with it. */
  at: number;
}

export interface Fault {
  method?: string;
  path: RegExp;
  status: number;
  errorCode: string;
  message: string;
  /** Requests that match before the fault fires. */
  after?: number;
  /** How many times it fires (default once). */
  times?: number;
}

/**
 * A validation rule: an inserted or updated row whose `field` is `value` fails with `error`
 * (`STATUS_CODE:message:fields`), as an org's own rule would refuse it.
 */
export interface ValidationRule {
  object: string;
  field: string;
  value: string;
  error: string;
}

type IngestOperation = 'insert' | 'update' | 'delete';
const INGEST_OPERATIONS: readonly string[] = ['insert', 'update', 'delete'];

interface QueryJob {
  id: string;
  info: Record<string, unknown>;
  fields: string[];
  rows: SfRecord[];
  polls: number;
}

interface IngestJob {
  id: string;
  info: Record<string, unknown>;
  csv: string;
  polls: number;
  successful: string;
  failed: string;
  unprocessed: string;
}

const ORG_ID = '00D000000000001AAA';
const USER_ID = '005000000000001AAA';
const REST_BATCH = 2000;

export class SalesforceStandIn {
  url = '';
  readonly requests: ReceivedRequest[] = [];
  readonly records = new Map<string, Map<string, SfRecord>>();
  /** Ingest rows that fail, by record id, with the error Salesforce would give. */
  readonly rowErrors = new Map<string, string>();
  /** The org's validation rules, checked on every inserted and updated row. */
  readonly validationRules: ValidationRule[] = [];
  apiUsed: number;
  dailyApiLimit: number;
  pollsUntilComplete: number;
  /** Called after each request is answered (tests kill a client at chosen moments). */
  onRequest: ((request: ReceivedRequest) => void) | null = null;
  /** Requests whose path matches are recorded but never answered: an org that hangs. */
  hang: RegExp | null = null;
  /** How many times an ingest job updated each record. */
  readonly ingestUpdates = new Map<string, number>();
  /** The org's clock: SystemModstamp of every change. */
  clock: () => Date = () => new Date();
  private server: Server | null = null;
  private faults: (Fault & { seen: number; fired: number })[] = [];
  private tokens = new Set<string>();
  private queryJobs = new Map<string, QueryJob>();
  private ingestJobs = new Map<string, IngestJob>();
  private cursors = new Map<string, { rows: SfRecord[]; fields: string[]; sobject: string }>();
  private counter = 0;
  /** Each object's fields: the standard ones and the org's custom ones. */
  private readonly fields: Record<string, string[]>;

  constructor(private readonly options: StandInOptions) {
    this.apiUsed = options.apiUsedAtStart ?? 0;
    this.dailyApiLimit = options.dailyApiLimit ?? 100_000;
    this.pollsUntilComplete = options.pollsUntilComplete ?? 0;
    this.fields = Object.fromEntries(
      Object.entries(STANDARD_FIELDS).map(([sobject, names]) => [
        sobject,
        [...names, ...(options.customFields?.[sobject] ?? [])],
      ]),
    );
    for (const sobject of Object.keys(STANDARD_FIELDS)) this.records.set(sobject, new Map());
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: String(error) }]);
      });
    });
    // Salesforce keeps idle connections open for minutes; Node's 5 s default would close a
    // kept-alive socket just as a client that spent a while on a page reuses it.
    this.server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ---- seeding and inspection ----

  /** A new record; returns its 18-character id (`fields.Id` when given: a record the store already knows). */
  insert(sobject: string, fields: SfRecord, at: Date = this.clock()): string {
    const prefix = KEY_PREFIXES[sobject];
    if (!prefix) throw new Error(`unknown object ${sobject}`);
    const id =
      typeof fields.Id === 'string'
        ? fields.Id
        : toSalesforceId18(`${prefix}${(++this.counter).toString(36).padStart(12, '0')}`);
    const stamp = at.toISOString();
    this.table(sobject).set(id, {
      Id: id,
      IsDeleted: false,
      CreatedDate: stamp,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
      ...fields,
    });
    return id;
  }

  update(sobject: string, id: string, fields: SfRecord, at: Date = this.clock()): void {
    const record = this.get(sobject, id);
    Object.assign(record, fields, { SystemModstamp: at.toISOString(), LastModifiedDate: at.toISOString() });
  }

  /** Moves the record to the recycle bin (queryAll still returns it, with IsDeleted true). */
  remove(sobject: string, id: string, at: Date = this.clock()): void {
    this.update(sobject, id, { IsDeleted: true }, at);
  }

  get(sobject: string, id: string): SfRecord {
    const record = this.table(sobject).get(id);
    if (!record) throw new Error(`no ${sobject} ${id}`);
    return record;
  }

  /** Adds a fault: matching requests answer `status` with `[{errorCode, message}]`. */
  fail(fault: Fault): void {
    this.faults.push({ ...fault, seen: 0, fired: 0 });
  }

  /** Invalidates every access token (as a session timeout does). */
  expireSessions(): void {
    this.tokens.clear();
  }

  /** API requests received (the OAuth endpoint excluded). */
  apiRequests(): ReceivedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/services/data/'));
  }

  /** The CSV bodies of every ingest upload, parsed. */
  uploadedRows(): { object: string; rows: Record<string, string>[] }[] {
    return [...this.ingestJobs.values()]
      .filter((job) => job.csv !== '')
      .map((job) => ({ object: String(job.info.object), rows: parseCsv(job.csv, { columns: true }) }));
  }

  private table(sobject: string): Map<string, SfRecord> {
    const table = this.records.get(sobject);
    if (!table) throw new Error(`unknown object ${sobject}`);
    return table;
  }

  private findById(id: string): SfRecord | undefined {
    for (const table of this.records.values()) {
      const found = table.get(id);
      if (found) return found;
    }
    return undefined;
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    const request: ReceivedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      at: Date.now(),
    };
    this.requests.push(request);
    if (this.hang?.test(url.pathname)) return;

    if (url.pathname === '/services/oauth2/token' && request.method === 'POST') return this.token(res, body);
    const api = /^\/services\/data\/v(\d+\.\d)(\/.*)$/.exec(url.pathname);
    if (!api)
      return send(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);

    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token))
      return send(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    this.apiUsed += 1;
    res.setHeader('Sforce-Limit-Info', `api-usage=${this.apiUsed}/${this.dailyApiLimit}`);
    if (this.apiUsed > this.dailyApiLimit)
      return send(res, 403, [
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
    const fault = this.faultFor(request);
    if (fault) return send(res, fault.status, [{ message: fault.message, errorCode: fault.errorCode }]);

    try {
      await this.route(request, api[1]!, api[2]!, res);
      this.onRequest?.(request);
    } catch (error) {
      if (error instanceof SoqlError)
        return send(res, 400, [{ message: error.message, errorCode: 'MALFORMED_QUERY' }]);
      if (error instanceof ApiError)
        return send(res, error.status, [{ message: error.message, errorCode: error.code }]);
      throw error;
    }
  }

  private faultFor(request: ReceivedRequest): Fault | null {
    for (const fault of this.faults) {
      if (fault.method && fault.method !== request.method) continue;
      if (!fault.path.test(request.path)) continue;
      fault.seen += 1;
      if (fault.seen <= (fault.after ?? 0) || fault.fired >= (fault.times ?? 1)) continue;
      fault.fired += 1;
      return fault;
    }
    return null;
  }

  private async token(res: ServerResponse, body: string): Promise<void> {
    const params = new URLSearchParams(body);
    if (params.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return send(res, 400, {
        error: 'unsupported_grant_type',
        error_description: 'grant type not supported',
      });
    try {
      const { payload } = await jwtVerify(params.get('assertion') ?? '', this.options.publicKey, {
        algorithms: ['RS256'],
        issuer: this.options.clientId,
        subject: this.options.username,
        audience: this.url,
        requiredClaims: ['exp'],
      });
      if ((payload.exp ?? 0) > Date.now() / 1000 + 180 + 5)
        return send(res, 400, {
          error: 'invalid_grant',
          error_description: 'expiration time too far in the future',
        });
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      const description =
        code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
          ? 'invalid assertion: ' + (error as Error).message
          : 'invalid assertion';
      return send(res, 400, { error: 'invalid_grant', error_description: description });
    }
    const accessToken = `${ORG_ID}!${randomBytes(24).toString('base64url')}`;
    this.tokens.add(accessToken);
    send(res, 200, {
      access_token: accessToken,
      scope: 'api',
      instance_url: this.url,
      id: `${this.url}/id/${ORG_ID}/${USER_ID}`,
      token_type: 'Bearer',
    });
  }

  private async route(request: ReceivedRequest, version: string, path: string, res: ServerResponse) {
    const { method } = request;
    let m: RegExpExecArray | null;
    if (method === 'GET' && (path === '/query' || path === '/queryAll'))
      return this.restQuery(res, version, request.query.q ?? '', path === '/queryAll');
    if (method === 'GET' && (m = /^\/query(?:All)?\/([\w-]+)$/.exec(path)))
      return this.restQueryMore(res, version, m[1]!);
    if (method === 'GET' && path === '/limits')
      return send(res, 200, {
        DailyApiRequests: { Max: this.dailyApiLimit, Remaining: this.dailyApiLimit - this.apiUsed },
      });

    if (method === 'POST' && path === '/jobs/query') return this.createQueryJob(res, version, request.body);
    if ((m = /^\/jobs\/query\/(\w+)(\/results)?$/.exec(path))) {
      const job = this.queryJobs.get(m[1]!);
      if (!job) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (m[2] && method === 'GET') return this.queryResults(res, job, request.query);
      if (method === 'GET') return send(res, 200, this.queryJobState(job));
      if (method === 'DELETE') {
        this.queryJobs.delete(job.id);
        return send(res, 204, null);
      }
      if (method === 'PATCH') {
        job.info.state = 'Aborted';
        return send(res, 200, job.info);
      }
    }

    if (method === 'POST' && path === '/jobs/ingest') return this.createIngestJob(res, version, request.body);
    if ((m = /^\/jobs\/ingest\/(\w+)(\/\w+)?$/.exec(path))) {
      const job = this.ingestJobs.get(m[1]!);
      if (!job) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      const sub = m[2];
      if (sub === '/batches' && method === 'PUT') {
        if (job.info.state !== 'Open')
          throw new ApiError(
            409,
            'INVALIDJOBSTATE',
            `Job's state is ${String(job.info.state)}: data can only be uploaded to an Open job`,
          );
        job.csv += request.body;
        return send(res, 201, null);
      }
      if (!sub && method === 'PATCH') return this.changeIngestState(res, job, request.body);
      if (!sub && method === 'GET') return send(res, 200, this.ingestJobState(job));
      if (!sub && method === 'DELETE') {
        this.ingestJobs.delete(job.id);
        return send(res, 204, null);
      }
      if (method === 'GET' && sub === '/successfulResults') return sendCsv(res, job.successful);
      if (method === 'GET' && sub === '/failedResults') return sendCsv(res, job.failed);
      if (method === 'GET' && sub === '/unprocessedrecords') return sendCsv(res, job.unprocessed);
    }
    throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  // ---- queries ----

  private run(parsed: ParsedQuery, includeDeleted: boolean): SfRecord[] {
    const known = this.fields[parsed.sobject];
    if (!known) throw new ApiError(400, 'INVALID_TYPE', `sObject type '${parsed.sobject}' is not supported.`);
    for (const field of [...parsed.fields, ...parsed.where.map((c) => c.field)]) {
      const [head, ...rest] = field.split('.');
      const own = rest.length === 0 ? head! : `${head}Id`;
      const parentFields = rest.length === 1 ? this.fields[RELATIONSHIP_OBJECTS[head!] ?? head!] : undefined;
      if (!known.includes(own) || (parentFields && !parentFields.includes(rest[0]!)))
        throw new ApiError(400, 'INVALID_FIELD', `No such column '${field}' on entity '${parsed.sobject}'.`);
    }
    let rows = [...this.table(parsed.sobject).values()].filter(
      (r) =>
        (includeDeleted || r.IsDeleted !== true) &&
        parsed.where.every((c) => matches(this.value(r, c.field), c)),
    );
    if (parsed.orderBy) {
      const key = parsed.orderBy;
      rows.sort((a, b) => String(this.value(a, key) ?? '').localeCompare(String(this.value(b, key) ?? '')));
    }
    if (parsed.limit !== null) rows = rows.slice(0, parsed.limit);
    // A snapshot: later changes do not move a query's results.
    return rows.map((r) => ({ ...r }));
  }

  private value(record: SfRecord, field: string): FieldValue {
    const [head, ...rest] = field.split('.');
    if (rest.length === 0) return record[head!] ?? null;
    const parentId = record[`${head}Id`];
    const parent = typeof parentId === 'string' ? this.findById(parentId) : undefined;
    return parent ? (parent[rest.join('.')] ?? null) : null;
  }

  private restQuery(res: ServerResponse, version: string, soql: string, includeDeleted: boolean) {
    const parsed = parseSoql(soql);
    const rows = this.run(parsed, includeDeleted);
    this.restPage(res, version, { rows, fields: parsed.fields, sobject: parsed.sobject }, 0, rows.length);
  }

  private restQueryMore(res: ServerResponse, version: string, locator: string) {
    const [cursorId, offset] = locator.split('-');
    const cursor = this.cursors.get(cursorId ?? '');
    if (!cursor) throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    this.restPage(res, version, cursor, Number(offset), cursor.rows.length, cursorId);
  }

  private restPage(
    res: ServerResponse,
    version: string,
    cursor: { rows: SfRecord[]; fields: string[]; sobject: string },
    offset: number,
    total: number,
    cursorId = `01g${randomBytes(6).toString('hex')}`,
  ) {
    const batch = cursor.rows.slice(offset, offset + REST_BATCH);
    const done = offset + batch.length >= total;
    if (!done) this.cursors.set(cursorId, cursor);
    send(res, 200, {
      totalSize: total,
      done,
      ...(done
        ? {}
        : { nextRecordsUrl: `/services/data/v${version}/query/${cursorId}-${offset + REST_BATCH}` }),
      records: batch.map((r) => this.restRecord(r, cursor.fields, cursor.sobject, version)),
    });
  }

  private restRecord(record: SfRecord, fields: string[], sobject: string, version: string) {
    const out: Record<string, unknown> = {
      attributes: {
        type: sobject,
        url: `/services/data/v${version}/sobjects/${sobject}/${String(record.Id)}`,
      },
    };
    for (const field of fields) {
      const [head, ...rest] = field.split('.');
      if (rest.length === 0) out[head!] = record[head!] ?? null;
      else {
        const value = this.value(record, field);
        const parentId = record[`${head}Id`];
        out[head!] = parentId
          ? { attributes: { type: RELATIONSHIP_OBJECTS[head!] ?? head }, [rest.join('.')]: value }
          : null;
      }
    }
    return out;
  }

  private createQueryJob(res: ServerResponse, version: string, body: string) {
    const params = parseJson(body) as { operation?: string; query?: string };
    if (params.operation !== 'query' && params.operation !== 'queryAll')
      throw new ApiError(400, 'INVALIDJOB', 'Invalid operation: must be query or queryAll');
    const parsed = parseSoql(params.query ?? '');
    const rows = this.run(parsed, params.operation === 'queryAll');
    const id = `750${randomBytes(6).toString('hex')}`.slice(0, 15);
    const now = new Date().toISOString();
    const info = {
      id,
      operation: params.operation,
      object: parsed.sobject,
      createdById: USER_ID,
      createdDate: now,
      systemModstamp: now,
      state: 'UploadComplete',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(version),
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    };
    this.queryJobs.set(id, { id, info, fields: parsed.fields, rows, polls: 0 });
    send(res, 200, info);
  }

  private queryJobState(job: QueryJob) {
    job.polls += 1;
    if (job.info.state === 'UploadComplete' || job.info.state === 'InProgress')
      job.info.state = job.polls > this.pollsUntilComplete ? 'JobComplete' : 'InProgress';
    return {
      ...job.info,
      numberRecordsProcessed: job.info.state === 'JobComplete' ? job.rows.length : 0,
      retries: 0,
      totalProcessingTime: 1,
    };
  }

  private queryResults(res: ServerResponse, job: QueryJob, query: Record<string, string>) {
    if (job.info.state !== 'JobComplete')
      throw new ApiError(
        400,
        'INVALIDJOBSTATE',
        `Job is in state ${String(job.info.state)}: results are not ready`,
      );
    const offset = query.locator ? Number(Buffer.from(query.locator, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0)
      throw new ApiError(400, 'INVALID_LOCATOR', 'invalid locator');
    const max = Math.min(
      query.maxRecords ? Number(query.maxRecords) : 100_000,
      this.options.maxPageRecords ?? Infinity,
    );
    const page = job.rows.slice(offset, offset + max);
    const next =
      offset + page.length < job.rows.length
        ? Buffer.from(String(offset + page.length)).toString('base64url')
        : 'null';
    const csv = toCsv(
      page.map((r) => job.fields.map((f) => csvValue(this.value(r, f)))),
      { header: true, columns: job.fields, quoted: true },
    );
    res.setHeader('Sforce-Locator', next);
    res.setHeader('Sforce-NumberOfRecords', String(page.length));
    sendCsv(res, page.length === 0 ? `${job.fields.map((f) => `"${f}"`).join(',')}\n` : csv);
  }

  // ---- ingest ----

  private createIngestJob(res: ServerResponse, version: string, body: string) {
    const params = parseJson(body) as {
      object?: string;
      operation?: string;
      contentType?: string;
      lineEnding?: string;
    };
    if (!params.object || !this.fields[params.object])
      throw new ApiError(400, 'INVALIDJOB', `InvalidJob : Invalid object: ${String(params.object)}`);
    if (!params.operation || !INGEST_OPERATIONS.includes(params.operation))
      throw new ApiError(
        400,
        'INVALIDJOB',
        `InvalidJob : Invalid operation: ${String(params.operation)} (the stand-in supports insert, update and delete)`,
      );
    if (params.contentType && params.contentType !== 'CSV')
      throw new ApiError(400, 'INVALIDJOB', 'InvalidJob : contentType must be CSV');
    const id = `750${randomBytes(6).toString('hex')}`.slice(0, 15);
    const now = new Date().toISOString();
    const info = {
      id,
      operation: params.operation,
      object: params.object,
      createdById: USER_ID,
      createdDate: now,
      systemModstamp: now,
      state: 'Open',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(version),
      contentUrl: `services/data/v${version}/jobs/ingest/${id}/batches`,
      lineEnding: params.lineEnding ?? 'LF',
      columnDelimiter: 'COMMA',
    };
    this.ingestJobs.set(id, { id, info, csv: '', polls: 0, successful: '', failed: '', unprocessed: '' });
    send(res, 200, info);
  }

  private changeIngestState(res: ServerResponse, job: IngestJob, body: string) {
    const { state } = parseJson(body) as { state?: string };
    if (state === 'Aborted') {
      if (job.info.state !== 'Open' && job.info.state !== 'UploadComplete' && job.info.state !== 'InProgress')
        throw new ApiError(400, 'INVALIDJOBSTATE', `Job is already ${String(job.info.state)}`);
      job.info.state = 'Aborted';
      job.unprocessed = job.csv;
      return send(res, 200, job.info);
    }
    if (state !== 'UploadComplete')
      throw new ApiError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(state)}`);
    if (job.info.state !== 'Open')
      throw new ApiError(400, 'INVALIDJOBSTATE', `Job is already ${String(job.info.state)}`);
    job.info.state = 'UploadComplete';
    this.processIngest(job);
    send(res, 200, { ...job.info, state: 'UploadComplete' });
  }

  private processIngest(job: IngestJob) {
    const object = String(job.info.object);
    const operation = job.info.operation as IngestOperation;
    const known = this.fields[object]!;
    const rows: Record<string, string>[] = job.csv.trim() === '' ? [] : parseCsv(job.csv, { columns: true });
    const header = job.csv.split('\n', 1)[0] ?? '';
    const columns: string[] = header ? (parseCsv(header)[0] as string[]) : [];
    const unknown = columns.find((c) => !known.includes(c));
    const badDelete = operation === 'delete' && (columns.length !== 1 || columns[0] !== 'Id');
    if (unknown || badDelete) {
      job.info.state = 'Failed';
      job.info.errorMessage = unknown
        ? `InvalidBatch : Field name not found : ${unknown}`
        : 'InvalidBatch : a delete job takes one column: Id';
      job.unprocessed = job.csv;
      return;
    }
    const successful: Record<string, string>[] = [];
    const failed: Record<string, string>[] = [];
    for (const row of rows) {
      const outcome =
        operation === 'insert'
          ? this.insertRow(object, row)
          : operation === 'delete'
            ? this.deleteRow(object, row)
            : this.updateRow(object, row);
      if ('error' in outcome) failed.push({ sf__Id: row.Id ?? '', sf__Error: outcome.error, ...row });
      else successful.push({ sf__Id: outcome.id, sf__Created: String(operation === 'insert'), ...row });
    }
    job.successful = toCsv(successful, {
      header: true,
      columns: ['sf__Id', 'sf__Created', ...columns],
      quoted: true,
    });
    job.failed = toCsv(failed, { header: true, columns: ['sf__Id', 'sf__Error', ...columns], quoted: true });
    job.unprocessed = `${columns.join(',')}\n`;
    job.info.numberRecordsProcessed = rows.length;
    job.info.numberRecordsFailed = failed.length;
  }

  /** The cells of a row as field values: an empty cell sets nothing, `#N/A` sets null. */
  private rowValues(row: Record<string, string>): SfRecord {
    const values: SfRecord = {};
    for (const [field, value] of Object.entries(row)) {
      if (field === 'Id' || value === '') continue;
      values[field] = value === '#N/A' ? null : value;
    }
    return values;
  }

  /** The first validation rule or restricted picklist the values break, as a row error. */
  private ruleBroken(object: string, values: SfRecord): string | null {
    for (const [field, allowed] of Object.entries(RESTRICTED_PICKLISTS[object] ?? {})) {
      const value = values[field];
      if (typeof value === 'string' && !allowed.includes(value))
        return `INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:${field}: bad value for restricted picklist field: ${value}:${field}`;
    }
    const rule = this.validationRules.find((r) => r.object === object && values[r.field] === r.value);
    return rule ? rule.error : null;
  }

  /** Inserts one row; returns the new id or the Bulk API error text. */
  private insertRow(object: string, row: Record<string, string>): { id: string } | { error: string } {
    const values = this.rowValues(row);
    const missing = (REQUIRED_ON_INSERT[object] ?? []).filter(
      (f) => values[f] === undefined || values[f] === null,
    );
    if (missing.length > 0)
      return {
        error: `REQUIRED_FIELD_MISSING:Required fields are missing: [${missing.join(', ')}]:${missing.join(',')}`,
      };
    for (const [field, target] of Object.entries(LOOKUPS[object] ?? {})) {
      const id = values[field];
      if (typeof id !== 'string') continue;
      const parent = this.records.get(target)?.get(id);
      if (!parent || parent.IsDeleted === true)
        return { error: `INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:${field}` };
    }
    if (object === 'CampaignMember') {
      const person =
        typeof values.LeadId === 'string'
          ? 'LeadId'
          : typeof values.ContactId === 'string'
            ? 'ContactId'
            : null;
      if (!person)
        return { error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [LeadId or ContactId]:--' };
      const duplicate = [...this.table('CampaignMember').values()].some(
        (m) => m.IsDeleted !== true && m.CampaignId === values.CampaignId && m[person] === values[person],
      );
      if (duplicate) return { error: 'DUPLICATE_VALUE:Already a campaign member.:--' };
    }
    const broken = this.ruleBroken(object, values);
    if (broken) return { error: broken };
    return { id: this.insert(object, values) };
  }

  /** Applies one update row; returns the record id or the Bulk API error text. */
  private updateRow(object: string, row: Record<string, string>): { id: string } | { error: string } {
    const id = row.Id ?? '';
    const injected = this.rowErrors.get(id);
    if (injected) return { error: injected };
    const record = this.table(object).get(id);
    if (!record) return { error: `INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--` };
    if (record.IsDeleted === true) return { error: 'ENTITY_IS_DELETED:entity is deleted:--' };
    if (object === 'Lead' && record.IsConverted === true)
      return { error: 'CANNOT_UPDATE_CONVERTED_LEAD:cannot reference converted lead:--' };
    const changes = this.rowValues(row); // an empty cell leaves the field as it is
    const broken = this.ruleBroken(object, { ...record, ...changes });
    if (broken) return { error: broken };
    this.update(object, id, changes);
    this.ingestUpdates.set(id, (this.ingestUpdates.get(id) ?? 0) + 1);
    return { id };
  }

  /** Deletes one record (to the recycle bin); returns its id or the Bulk API error text. */
  private deleteRow(object: string, row: Record<string, string>): { id: string } | { error: string } {
    const id = row.Id ?? '';
    const injected = this.rowErrors.get(id);
    if (injected) return { error: injected };
    const record = this.table(object).get(id);
    if (!record) return { error: 'INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--' };
    if (record.IsDeleted === true) return { error: 'ENTITY_IS_DELETED:entity is deleted:--' };
    this.remove(object, id);
    return { id };
  }

  private ingestJobState(job: IngestJob) {
    job.polls += 1;
    if (job.info.state === 'UploadComplete' || job.info.state === 'InProgress')
      job.info.state = job.polls > this.pollsUntilComplete ? 'JobComplete' : 'InProgress';
    return {
      ...job.info,
      numberRecordsProcessed: job.info.numberRecordsProcessed ?? 0,
      numberRecordsFailed: job.info.numberRecordsFailed ?? 0,
    };
  }
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function csvValue(value: FieldValue): string {
  if (value === null) return '';
  return String(value);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'Unexpected character: the request body is not JSON');
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204 || body === null) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' }).end(JSON.stringify(body));
}

function sendCsv(res: ServerResponse, csv: string): void {
  res.writeHead(200, { 'Content-Type': 'text/csv' }).end(csv);
}
