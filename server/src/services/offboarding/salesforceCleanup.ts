import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { updateOffboardingState } from './offboardingState';

/** The installed package's root (force-app/ and sfdx-project.json ship with it: package.json `files`). */
export const PACKAGE_ROOT = path.resolve(__dirname, '../../../..');

/** Metadata API members by type, e.g. { CustomField: ['Account.Signalfit_Reach__c', …] }. */
export type MetadataMembers = Record<string, string[]>;

/** Folder of force-app/main/default → how its files name members of which metadata type. */
const FOLDERS: Record<string, { type: string; suffix: string } | 'bundle'> = {
  classes: { type: 'ApexClass', suffix: '.cls-meta.xml' },
  triggers: { type: 'ApexTrigger', suffix: '.trigger-meta.xml' },
  pages: { type: 'ApexPage', suffix: '.page-meta.xml' },
  components: { type: 'ApexComponent', suffix: '.component-meta.xml' },
  cspTrustedSites: { type: 'CspTrustedSite', suffix: '.cspTrustedSite-meta.xml' },
  remoteSiteSettings: { type: 'RemoteSiteSetting', suffix: '.remoteSite-meta.xml' },
  customPermissions: { type: 'CustomPermission', suffix: '.customPermission-meta.xml' },
  permissionsets: { type: 'PermissionSet', suffix: '.permissionset-meta.xml' },
  flexipages: { type: 'FlexiPage', suffix: '.flexipage-meta.xml' },
  customMetadata: { type: 'CustomMetadata', suffix: '.md-meta.xml' },
  staticresources: { type: 'StaticResource', suffix: '.resource-meta.xml' },
  tabs: { type: 'CustomTab', suffix: '.tab-meta.xml' },
  applications: { type: 'CustomApplication', suffix: '.app-meta.xml' },
  lwc: 'bundle',
  aura: 'bundle',
};

/**
 * What the package ships, read from force-app/main/default at run time, so the list follows the
 * metadata actually installed: custom fields on standard objects, custom objects (their fields go
 * with them), and every other component by its folder.
 */
export function packageMembers(root: string = PACKAGE_ROOT): MetadataMembers {
  const base = path.join(root, 'force-app', 'main', 'default');
  const members: MetadataMembers = {};
  const add = (type: string, name: string) => (members[type] ??= []).push(name);
  for (const folder of readdirSync(base).sort()) {
    const dir = path.join(base, folder);
    if (!statSync(dir).isDirectory()) continue;
    if (folder === 'objects') {
      for (const object of readdirSync(dir).sort()) {
        if (/__(c|mdt)$/.test(object)) {
          add('CustomObject', object);
          continue;
        }
        const fields = path.join(dir, object, 'fields');
        if (!existsSync(fields)) continue;
        for (const file of readdirSync(fields).sort())
          if (file.endsWith('.field-meta.xml'))
            add('CustomField', `${object}.${file.replace(/\.field-meta\.xml$/, '')}`);
      }
      continue;
    }
    const kind = FOLDERS[folder];
    if (!kind) continue;
    if (kind === 'bundle') {
      const type = folder === 'lwc' ? 'LightningComponentBundle' : 'AuraDefinitionBundle';
      for (const bundle of readdirSync(dir).sort())
        if (statSync(path.join(dir, bundle)).isDirectory()) add(type, bundle);
      continue;
    }
    for (const file of readdirSync(dir).sort())
      if (file.endsWith(kind.suffix)) add(kind.type, file.slice(0, -kind.suffix.length));
  }
  return members;
}

export function apiVersion(root: string = PACKAGE_ROOT): string {
  const project = JSON.parse(readFileSync(path.join(root, 'sfdx-project.json'), 'utf8')) as {
    sourceApiVersion?: string;
  };
  return project.sourceApiVersion ?? '62.0';
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A Metadata API manifest (`package.xml` or `destructiveChanges.xml`) listing `members`. */
export function packageXml(members: MetadataMembers, version: string | null): string {
  const types = Object.keys(members)
    .sort()
    .map(
      (type) =>
        `    <types>\n${members[type]!.map((m) => `        <members>${escapeXml(m)}</members>\n`).join('')}        <name>${type}</name>\n    </types>\n`,
    )
    .join('');
  const versionLine = version ? `    <version>${version}</version>\n` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${types}${versionLine}</Package>\n`;
}

export interface CleanupFiles {
  packageXml: string;
  destructiveChangesXml: string;
  members: MetadataMembers;
  command: string;
}

/**
 * Writes `<dir>/package.xml` (empty: deploys nothing) and `<dir>/destructiveChanges.xml` (every
 * component of the package), for `sf project deploy start --manifest … --post-destructive-changes …`.
 */
export async function writeSalesforceCleanup(props: {
  db: Db;
  actor: Actor;
  dir: string;
  root?: string;
  now?: Date;
}): Promise<CleanupFiles> {
  authorize(props.actor, 'offboarding.manage', 'writing the Salesforce clean-up');
  const members = packageMembers(props.root);
  const version = apiVersion(props.root);
  mkdirSync(props.dir, { recursive: true });
  const packagePath = path.join(props.dir, 'package.xml');
  const destructivePath = path.join(props.dir, 'destructiveChanges.xml');
  writeFileSync(packagePath, packageXml({}, version));
  writeFileSync(destructivePath, packageXml(members, null));
  const command = `sf project deploy start --manifest ${packagePath} --post-destructive-changes ${destructivePath}`;
  await updateOffboardingState(props.db, {
    salesforceCleanup: {
      at: (props.now ?? new Date()).toISOString(),
      by: actorLabel(props.actor),
      detail: `${Object.values(members).flat().length} components`,
    },
  });
  return { packageXml: packagePath, destructiveChangesXml: destructivePath, members, command };
}
