// Entry of the dashboard bundle. Synthetic shadow first: lightning-base-components need it, and
// it lets the global SLDS stylesheet style every component, as inside Salesforce.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import App from 'sf/app';

// The page's mount point, outside any component.
// eslint-disable-next-line @lwc/lwc/no-document-query
document.getElementById('root').appendChild(createElement('sf-app', { is: App }));
