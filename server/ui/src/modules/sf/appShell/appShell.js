import { LightningElement } from 'lwc';
import { ApiError, fetchAccountIntelligence, fetchPerson } from 'sf/api';
import { demoSignIn, fetchSignInOptions, parseRoute } from 'sf/accountsApi';
import { fetchSession } from 'sf/segmentsApi';

const STATE = Object.freeze({
  SIGNING_IN: 'signing-in',
  NO_ACCESS: 'no-access',
  READY: 'ready',
});

/**
 * The standalone app at `/`: signs the visitor in (demo mode only, when the service allows it),
 * shows the global header and navigation, and routes on the client between the Accounts page
 * (`/accounts`), an account (`/accounts/:id`), a person (`/people/:id`) and the Segments section
 * (`/segments`, `/segments/new`, `/segments/upload`, `/segments/:id`, `/segments/:id/edit`) with
 * the browser's history, so deep links and the back button work. The Reports section (`/reports`,
 * `/reports/segment-performance?…`, `/reports/model-insights?month=…`) keeps each report's
 * settings in the address, so a reload or a shared link shows the same report. The Orchestrations
 * section (`/orchestrations`, `/orchestrations/new`, `/orchestrations/:id` its preview,
 * `/orchestrations/:id/edit`, `/orchestrations/:id/history?run=…`) is shown to the roles that may
 * view orchestrations. The Admin "Audit log" (`/audit?since=&until=&actor=&action=`) is shown when the
 * session allows `audit.view`. The account and person views
 * are the dashboard's own components. What the user may do (`can`, from the session) decides
 * which actions the pages offer; the service decides again on every call.
 */
export default class AppShell extends LightningElement {
  state = STATE.SIGNING_IN;
  user;
  demo = false;
  accessHelp;
  route = { name: 'accounts', query: '' };
  intelligence;
  person;
  viewLoading = false;
  viewError;
  /** `{ [action]: boolean }` of GET /api/session for the signed-in user. */
  can = {};

  _accessToken = null;
  _onPopState = () => this.applyLocation();
  client = {
    call: (request) => this.call(request),
  };

  connectedCallback() {
    window.addEventListener('popstate', this._onPopState);
    if (window.location.pathname === '/') {
      window.history.replaceState(null, '', `/accounts${window.location.search}`);
    }
    this.signIn();
  }

  disconnectedCallback() {
    window.removeEventListener('popstate', this._onPopState);
    this._accessToken = null;
  }

  get isSigningIn() {
    return this.state === STATE.SIGNING_IN;
  }
  get isNoAccess() {
    return this.state === STATE.NO_ACCESS;
  }
  get isReady() {
    return this.state === STATE.READY;
  }
  get isAccountsPage() {
    return this.route.name === 'accounts';
  }
  get isAccountView() {
    return this.route.name === 'account' && !this.viewLoading && !this.viewError && !!this.intelligence;
  }
  get isPersonView() {
    return this.route.name === 'person' && !this.viewLoading && !this.viewError && !!this.person;
  }
  get isSegmentsSection() {
    return this.route.name.startsWith('segment');
  }
  get isSegmentsPage() {
    return this.route.name === 'segments';
  }
  /**
   * The segment views, keyed by route: another segment (or another form) is a new component, so
   * nothing of the previous one lingers.
   */
  get segmentViews() {
    const { route } = this;
    if (!this.isSegmentsSection || route.name === 'segments') {
      return [];
    }
    return [
      {
        key: `${route.name}:${route.id || route.listName || ''}`,
        isPage: route.name === 'segment',
        isBuilder: route.name === 'segment-new' || route.name === 'segment-edit',
        isUpload: route.name === 'segment-upload',
        id: route.id,
        listName: route.listName,
      },
    ];
  }
  get segmentQuery() {
    return this.route.name === 'segment' ? this.route.query : '';
  }
  get isReportsSection() {
    return this.route.name.startsWith('report');
  }
  get isReportsPage() {
    return this.route.name === 'reports';
  }
  get isSegmentReport() {
    return this.route.name === 'report-segment-performance';
  }
  get isModelInsights() {
    return this.route.name === 'report-model-insights' && this.canViewModel;
  }
  get isModelInsightsRefused() {
    return this.route.name === 'report-model-insights' && !this.canViewModel;
  }
  get canViewModel() {
    return !!this.can['reports.model'];
  }
  get reportQuery() {
    return this.isReportsSection ? this.route.query || '' : '';
  }
  get isOrchestrationsSection() {
    return this.route.name.startsWith('orchestration');
  }
  get isOrchestrationsPage() {
    return this.route.name === 'orchestrations' && this.canViewOrchestrations;
  }
  get isOrchestrationsRefused() {
    return this.isOrchestrationsSection && !this.canViewOrchestrations;
  }
  /**
   * The orchestration views, keyed by route and orchestration: another one is a new component.
   * (A run picked in the history is the same view: the history follows its `runId`.)
   */
  get orchestrationViews() {
    const { route } = this;
    if (!this.canViewOrchestrations || !this.isOrchestrationsSection || route.name === 'orchestrations') {
      return [];
    }
    return [
      {
        key: `${route.name}:${route.id || ''}`,
        isWizard: route.name === 'orchestration-new' || route.name === 'orchestration-edit',
        isPreview: route.name === 'orchestration-preview',
        isHistory: route.name === 'orchestration-history',
        id: route.id,
        runId: route.runId,
      },
    ];
  }
  get canViewOrchestrations() {
    return !!this.can['orchestrations.view'];
  }
  get canManageOrchestrations() {
    return !!this.can['orchestrations.manage'];
  }
  get canRestrictedRegions() {
    return !!this.can['orchestrations.restricted_regions'];
  }
  get orchestrationsNavClass() {
    return `slds-context-bar__item${this.isOrchestrationsSection ? ' slds-is-active' : ''}`;
  }
  get canViewAudit() {
    return !!this.can['audit.view'];
  }
  get isAuditPage() {
    return this.route.name === 'audit' && this.canViewAudit;
  }
  get isAuditRefused() {
    return this.route.name === 'audit' && !this.canViewAudit;
  }
  get auditQuery() {
    return this.route.name === 'audit' ? this.route.query || '' : '';
  }
  get auditNavClass() {
    return `slds-context-bar__item${this.route.name === 'audit' ? ' slds-is-active' : ''}`;
  }
  get canEditSegments() {
    return !!this.can['segments.edit'];
  }
  get accountsNavClass() {
    const other =
      this.isSegmentsSection ||
      this.isReportsSection ||
      this.isOrchestrationsSection ||
      this.route.name === 'audit';
    return `slds-context-bar__item${other ? '' : ' slds-is-active'}`;
  }
  get reportsNavClass() {
    return `slds-context-bar__item${this.isReportsSection ? ' slds-is-active' : ''}`;
  }
  get segmentsNavClass() {
    return `slds-context-bar__item${this.isSegmentsSection ? ' slds-is-active' : ''}`;
  }
  get userLabel() {
    return this.user ? `${this.user.name} · ${this.user.role}` : '';
  }
  /** For the views' Outreach actions (the same bearer token; renewed in demo mode). */
  get accessToken() {
    return this._accessToken;
  }
  get listQuery() {
    return this.route.name === 'accounts' ? this.route.query : '';
  }
  get cameFromAccount() {
    return !!(window.history.state && window.history.state.fromAccount);
  }

  async signIn() {
    let options;
    try {
      options = await fetchSignInOptions();
    } catch (error) {
      this.showNoAccess(error.message);
      return;
    }
    if (!options.demo) {
      this.showNoAccess(options.help);
      return;
    }
    try {
      await this.demoSession();
    } catch (error) {
      this.showNoAccess(error.message);
      return;
    }
    this.state = STATE.READY;
    this.applyLocation();
  }

  async demoSession() {
    const session = await demoSignIn();
    this._accessToken = session.accessToken;
    this.user = session.user;
    this.demo = session.demo;
    await this.loadCan();
  }

  /** What the signed-in user may do; without an answer, nothing beyond viewing is offered. */
  async loadCan() {
    try {
      const session = await fetchSession(this._accessToken);
      this.can = (session && session.can) || {};
    } catch {
      this.can = {};
    }
  }

  showNoAccess(message) {
    this.accessHelp = message;
    this.state = STATE.NO_ACCESS;
  }

  /** Runs `request(accessToken)`; an expired demo token is renewed once and the request retried. */
  async call(request) {
    try {
      return await request(this._accessToken);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'access_token_expired' && this.demo) {
        await this.demoSession();
        return request(this._accessToken);
      }
      throw error;
    }
  }

  applyLocation() {
    this.route = parseRoute(window.location.pathname, window.location.search);
    this.viewError = undefined;
    if (this.route.name === 'account') {
      this.loadView(
        () => this.call((token) => fetchAccountIntelligence(this.route.id, token)),
        'intelligence',
      );
    } else if (this.route.name === 'person') {
      this.loadView(() => this.call((token) => fetchPerson(this.route.id, token)), 'person');
    }
  }

  async loadView(load, field) {
    const route = this.route;
    this.viewLoading = true;
    try {
      const value = await load();
      if (route !== this.route) {
        return;
      }
      this[field] = value;
    } catch (error) {
      if (route === this.route) {
        this.viewError = error.message;
      }
    }
    if (route === this.route) {
      this.viewLoading = false;
      Promise.resolve().then(() => {
        const view = this.template.querySelector('sf-account-view, sf-person-view');
        if (view && typeof view.focusHeading === 'function') {
          view.focusHeading();
        }
      });
    }
  }

  /** Pushes a new history entry (or replaces the current one) and shows it. */
  navigate(path, { replace = false, state = null } = {}) {
    if (replace) {
      window.history.replaceState(state, '', path);
    } else {
      window.history.pushState(state, '', path);
    }
    this.applyLocation();
  }

  handleNavigate(event) {
    this.navigate(event.detail.path, { replace: !!event.detail.replace });
  }

  handleNavClick(event) {
    event.preventDefault();
    this.navigate(event.currentTarget.getAttribute('href'));
  }

  handleOpenPerson(event) {
    this.navigate(`/people/${encodeURIComponent(event.detail.id)}`, { state: { fromAccount: true } });
  }

  handleBackToAccount() {
    if (this.cameFromAccount) {
      window.history.back();
    } else if (this.person) {
      this.navigate(`/accounts/${encodeURIComponent(this.person.account.id)}`);
    }
  }

  handleBackToList(event) {
    event.preventDefault();
    this.navigate('/accounts');
  }

  handleRetry() {
    this.applyLocation();
  }
}
