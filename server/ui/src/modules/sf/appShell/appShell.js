import { LightningElement } from 'lwc';
import { ApiError, fetchAccountIntelligence, fetchPerson } from 'sf/api';
import { demoSignIn, fetchSignInOptions, parseRoute, sessionToken, signOut } from 'sf/accountsApi';
import { fetchSession } from 'sf/segmentsApi';
import { adminTabsFor, firstAdminPath, hasAdminSection, isAdminRoute } from 'sf/adminNav';

const STATE = Object.freeze({
  SIGNING_IN: 'signing-in',
  SIGN_IN: 'sign-in',
  NO_ACCESS: 'no-access',
  READY: 'ready',
});
/** A signed-in user's bearer is renewed this long before it expires (seconds). */
const RENEW_BEFORE_S = 60;
/** What the callback adds to the address when a sign-in was refused. */
const SIGN_IN_ERROR_PARAM = 'sign_in_error';

/** The service's messages start in lower case and end without a stop: as a sentence on its own. */
function asSentence(text) {
  const trimmed = String(text).trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The standalone app at `/`: signs the visitor in — with single sign-on (the sign-in page's
 * "Sign in with …" buttons go to the identity provider; back here, the sign-in cookie is traded
 * for a bearer kept in memory and renewed before it expires), or in demo mode when the service
 * allows it — and out (Sign out in the header). A refused sign-in, a session that ended or a user
 * deactivated brings the sign-in page back with the reason in words.
 * shows the global header and navigation, and routes on the client between the Accounts page
 * (`/accounts`), an account (`/accounts/:id`), a person (`/people/:id`) and the Segments section
 * (`/segments`, `/segments/new`, `/segments/upload`, `/segments/:id`, `/segments/:id/edit`) with
 * the browser's history, so deep links and the back button work. The Reports section (`/reports`,
 * `/reports/segment-performance?…`, `/reports/model-insights?month=…`) keeps each report's
 * settings in the address, so a reload or a shared link shows the same report; the Models page
 * (`/models`) sits in it, beside model insights. The Orchestrations
 * section (`/orchestrations`, `/orchestrations/new`, `/orchestrations/:id` its preview,
 * `/orchestrations/:id/edit`, `/orchestrations/:id/history?run=…`) is shown to the roles that may
 * view orchestrations. The Admin section (sf/adminNav: one entry in the navigation, `/admin`) has
 * a tab per page the role may use — Users & API keys (`/users`), Opt-outs (`/optouts`), Audit log
 * (`/audit?since=&until=&actor=&action=`), Retention (`/retention`), Offboarding (`/offboarding`) —
 * each at its own address; `/admin` opens the first of them. The account and person views
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

  /** The "Sign in with …" methods of the sign-in page: `{ id, label, href }`. */
  signInMethods = [];
  /** Why the sign-in page shows (a refused sign-in, an ended session), in words; or after sign-out. */
  signInMessage;
  signInMessageIsError = false;

  _accessToken = null;
  /** Signed in with single sign-on (the sign-in cookie): the bearer is renewed from it. */
  _sso = false;
  _renewTimer;
  /** The route whose Admin tab was last scrolled into view (once per route, not at every render). */
  _adminTabShown;
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
    clearTimeout(this._renewTimer);
  }

  renderedCallback() {
    this.showActiveAdminTab();
  }

  /** On a narrow screen the Admin tabs scroll sideways: the current one is brought into view. */
  showActiveAdminTab() {
    const list = this.template.querySelector('.sf-shell__admin-tabs .slds-tabs_default__nav');
    const active = list && list.querySelector('.slds-is-active');
    if (!active || this._adminTabShown === this.route) {
      return;
    }
    this._adminTabShown = this.route;
    const tab = active.getBoundingClientRect();
    const row = list.getBoundingClientRect();
    if (tab.right > row.right) {
      list.scrollLeft += tab.right - row.right;
    } else if (tab.left < row.left) {
      list.scrollLeft -= row.left - tab.left;
    }
  }

  get isSigningIn() {
    return this.state === STATE.SIGNING_IN;
  }
  get isNoAccess() {
    return this.state === STATE.NO_ACCESS;
  }
  get isSignInPage() {
    return this.state === STATE.SIGN_IN;
  }
  get signInMessageClass() {
    return `slds-notify slds-notify_alert slds-m-bottom_medium ${
      this.signInMessageIsError ? 'slds-alert_error' : 'slds-alert_offline'
    }`;
  }
  get canSignOut() {
    return this._sso && this.state === STATE.READY;
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
    return this.route.name.startsWith('report') || this.route.name === 'models';
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
  /**
   * The Models page (`/models`, `models.view`): in the Reports section beside model insights —
   * the matrix gives both actions the same roles (Admin, Operations, Marketing, View Only).
   */
  get canViewModels() {
    return !!this.can['models.view'];
  }
  get isModelsPage() {
    return this.route.name === 'models' && this.canViewModels;
  }
  get isModelsRefused() {
    return this.route.name === 'models' && !this.canViewModels;
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
  /** The Opt-outs page (`/optouts`): Admin and Operations (`optouts.manage`). */
  get canManageOptOuts() {
    return !!this.can['optouts.manage'];
  }
  get isOptOutsPage() {
    return this.route.name === 'optouts' && this.canManageOptOuts;
  }
  get isOptOutsRefused() {
    return this.route.name === 'optouts' && !this.canManageOptOuts;
  }
  get orchestrationsNavClass() {
    return `slds-context-bar__item${this.isOrchestrationsSection ? ' slds-is-active' : ''}`;
  }
  /** The Users page (users and API keys): Admin only (`users.manage`). */
  get isUsersPage() {
    return this.route.name === 'users' && this.canManageUsers;
  }
  get isUsersRefused() {
    return this.route.name === 'users' && !this.canManageUsers;
  }
  get canManageUsers() {
    return !!this.can['users.manage'];
  }
  get canOffboard() {
    return !!this.can['offboarding.manage'];
  }
  get isOffboardingSection() {
    return this.route.name === 'offboarding';
  }
  get isOffboardingPage() {
    return this.isOffboardingSection && this.canOffboard;
  }
  get isOffboardingRefused() {
    return this.isOffboardingSection && !this.canOffboard;
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
  get canManageRetention() {
    return !!this.can['retention.manage'];
  }
  get isRetentionPage() {
    return this.route.name === 'retention' && this.canManageRetention;
  }
  get isRetentionRefused() {
    return this.route.name === 'retention' && !this.canManageRetention;
  }
  /** The Admin section: its entry, its tabs (those the role may use) and its entrance `/admin`. */
  get hasAdminSection() {
    return hasAdminSection(this.can);
  }
  get isAdminSection() {
    return isAdminRoute(this.route.name);
  }
  get adminNavClass() {
    return `slds-context-bar__item${this.isAdminSection ? ' slds-is-active' : ''}`;
  }
  get adminTabs() {
    return adminTabsFor(this.can, this.route.name);
  }
  get showAdminTabs() {
    return this.isAdminSection && this.hasAdminSection;
  }
  /** `/admin` for a role without any Admin page (it stays there only then: see applyLocation). */
  get isAdminRefused() {
    return this.route.name === 'admin';
  }
  get canEditSegments() {
    return !!this.can['segments.edit'];
  }
  get canViewAccounts() {
    return !!this.can['accounts.view'];
  }
  get canViewSegments() {
    return !!this.can['segments.view'];
  }
  get canViewReports() {
    return !!(this.can['reports.segments'] || this.can['reports.model'] || this.can['models.view']);
  }
  /**
   * A page the user's role does not include, reached by its address: said instead of a form
   * the service would refuse. (Orchestrations and model insights have their own words.)
   */
  get refusedText() {
    const name = this.route.name;
    if (
      (name === 'segment-new' || name === 'segment-edit' || name === 'segment-upload') &&
      !this.canEditSegments
    ) {
      return 'Your role does not include creating or changing segments.';
    }
    if (
      (name === 'orchestration-new' || name === 'orchestration-edit') &&
      this.canViewOrchestrations &&
      !this.canManageOrchestrations
    ) {
      return 'Your role does not include creating or changing orchestrations.';
    }
    if (this.isSegmentsSection && !this.canViewSegments) {
      return 'Your role does not include segments.';
    }
    if (name.startsWith('report') && name !== 'report-model-insights' && !this.can['reports.segments']) {
      return 'Your role does not include segment reports.';
    }
    return '';
  }
  get isRefusedHere() {
    return !!this.refusedText;
  }
  get accountsNavClass() {
    const other =
      this.isSegmentsSection || this.isReportsSection || this.isOrchestrationsSection || this.isAdminSection;
    return `slds-context-bar__item${other ? '' : ' slds-is-active'}`;
  }
  get reportsNavClass() {
    return `slds-context-bar__item${this.isReportsSection ? ' slds-is-active' : ''}`;
  }
  get segmentsNavClass() {
    return `slds-context-bar__item${this.isSegmentsSection ? ' slds-is-active' : ''}`;
  }
  get userLabel() {
    return this.user ? `${this.user.name || this.user.email} · ${this.user.role}` : '';
  }
  get userEmail() {
    return (this.user && this.user.email) || '';
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
    const refused = this.takeSignInError();
    let options;
    try {
      options = await fetchSignInOptions();
    } catch (error) {
      this.showNoAccess(error.message);
      return;
    }
    const methods = (options.signInMethods || []).filter((method) => method.id !== 'demo');
    if (options.demo) {
      try {
        await this.demoSession();
      } catch (error) {
        this.showNoAccess(error.message);
        return;
      }
      this.showApp();
      return;
    }
    if (methods.length === 0) {
      this.showNoAccess(options.help);
      return;
    }
    this.signInMethods = methods;
    if (refused) {
      this.showSignIn(refused, true);
      return;
    }
    // Back from the identity provider (or a reload): the sign-in cookie, if any, gives a bearer.
    try {
      await this.userSession();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.showSignIn();
      } else {
        this.showSignIn(error.message, true);
      }
      return;
    }
    this.showApp();
  }

  /** The reason of a refused sign-in the callback put in the address, taken out of it. */
  takeSignInError() {
    const params = new URLSearchParams(window.location.search);
    const message = params.get(SIGN_IN_ERROR_PARAM);
    if (message === null) {
      return null;
    }
    params.delete(SIGN_IN_ERROR_PARAM);
    const rest = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}`);
    return `Sign-in was refused: ${message.trim()}${/[.!?]$/.test(message.trim()) ? '' : '.'}`;
  }

  showApp() {
    this.state = STATE.READY;
    this.applyLocation();
  }

  /** The sign-in page, with a message (an error, or a notice such as "signed out"). */
  showSignIn(message, isError = false) {
    clearTimeout(this._renewTimer);
    this._accessToken = null;
    this._sso = false;
    this.user = undefined;
    this.can = {};
    const back = `${window.location.pathname}${window.location.search}`;
    this.signInMethods = this.signInMethods.map((method) => ({
      ...method,
      href: `${method.url}?returnTo=${encodeURIComponent(back)}`,
    }));
    this.signInMessage = message;
    this.signInMessageIsError = isError;
    this.state = STATE.SIGN_IN;
  }

  /** The sign-in cookie's session as a bearer, renewed RENEW_BEFORE_S before it expires. */
  async userSession() {
    const session = await sessionToken();
    this._accessToken = session.accessToken;
    this.user = session.user;
    this._sso = true;
    this.demo = false;
    clearTimeout(this._renewTimer);
    const renewInMs = Math.max(5, session.expiresIn - RENEW_BEFORE_S) * 1000;
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this._renewTimer = setTimeout(() => this.renewSession(), renewInMs);
    await this.loadCan();
  }

  async renewSession() {
    try {
      await this.userSession();
    } catch (error) {
      this.sessionEnded(error);
    }
  }

  /** The session is over (signed out elsewhere, expired, deactivated): back to the sign-in page. */
  sessionEnded(error) {
    this.showSignIn(
      asSentence((error && error.message) || 'your sign-in session has ended: sign in again'),
      true,
    );
  }

  async handleSignOut() {
    try {
      await signOut();
    } catch {
      // The session ends anyway for this page: the bearer is dropped below.
    }
    this.showSignIn('You are signed out.');
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

  /**
   * Runs `request(accessToken)`; an expired token is renewed once (demo, or from the sign-in
   * cookie) and the request retried. A signed-in user whose session ended (signed out, expired,
   * deactivated) goes back to the sign-in page with the service's reason.
   */
  async call(request) {
    try {
      return await request(this._accessToken);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'access_token_expired' && this.demo) {
        await this.demoSession();
        return request(this._accessToken);
      }
      if (error instanceof ApiError && error.status === 401 && this._sso) {
        if (error.code === 'access_token_expired') {
          try {
            await this.userSession();
          } catch (renewError) {
            this.sessionEnded(renewError);
            throw renewError;
          }
          return request(this._accessToken);
        }
        this.sessionEnded(error);
      }
      throw error;
    }
  }

  applyLocation() {
    const route = parseRoute(window.location.pathname, window.location.search);
    // `/admin` is the Admin section's entrance: its first tab the role may use.
    const firstTab = route.name === 'admin' ? firstAdminPath(this.can) : null;
    if (firstTab) {
      window.history.replaceState(window.history.state, '', firstTab);
      this.applyLocation();
      return;
    }
    this.route = route;
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
