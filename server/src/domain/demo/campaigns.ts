/**
 * Marketing campaigns named on activities (`activities.campaign`). Background marketing touches
 * everyone (newsletters, always-on ads); buying-cycle engagement comes from nurture, webinars,
 * gated content early and demo / trial requests late.
 */
export const CAMPAIGNS = {
  newsletters: ['DevSecOps Digest (monthly newsletter)', 'Product updates', 'Security advisories roundup'],
  nurture: [
    'Nurture: software supply chain security',
    'Nurture: shift-left AppSec',
    'Nurture: container security',
  ],
  webinars: [
    'Webinar: SBOMs in practice',
    'Webinar: securing CI/CD pipelines',
    'Webinar: container security from build to runtime',
  ],
  earlyForms: [
    "Gated: DevSecOps buyer's guide",
    'Gated: state of software supply chain security',
    'Newsletter signup',
  ],
  lateForms: ['Demo request', 'Free trial signup', 'Contact sales'],
  tradeShows: ['KubeCon + CloudNativeCon', 'AWS re:Invent', 'Black Hat USA', 'RSA Conference'],
  fieldEvents: ['AppSec leaders dinner', 'DevSecOps roadshow', 'Executive roundtable: software risk'],
  alwaysOnAds: ['Always-on: DevSecOps awareness', 'Always-on: developer security'],
  targetedAds: [
    'Retargeting: pricing visitors',
    'ABM: Shield tier-1 accounts',
    'Competitive: Snyk alternative',
  ],
} as const;
