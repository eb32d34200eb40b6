// Entry of the standalone app (served at /): the same components as the framed dashboard, with
// the app shell as root. Synthetic shadow first, as in main.js.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import AppShell from 'sf/appShell';

// The page's mount point, outside any component.
// eslint-disable-next-line @lwc/lwc/no-document-query
document.getElementById('root').appendChild(createElement('sf-app-shell', { is: AppShell }));
