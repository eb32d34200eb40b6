/**
 * @jest-environment node
 */
// Offline checks of the Salesforce package: what @salesforce/source-deploy-retrieve resolves and
// converts, well-formed XML, and the cross-references a deploy would otherwise catch late
// (permission sets naming fields, classes, custom permissions and metadata types that must exist).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ComponentSet, MetadataConverter } = require('@salesforce/source-deploy-retrieve');
const { XMLParser, XMLValidator } = require('fast-xml-parser');

const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
const FORCE_APP = path.join(PROJECT_ROOT, 'force-app');
const DEFAULT_DIR = path.join(FORCE_APP, 'main', 'default');
const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';
// One API version for the project and every metadata file: the one sfdx-project.json names.
const API_VERSION = JSON.parse(
  fs.readFileSync(path.join(PROJECT_ROOT, 'sfdx-project.json'), 'utf8'),
).sourceApiVersion;

const ACCOUNT_FIELDS = [
  'Signalfit_Buying_Stage__c',
  'Signalfit_Intent_Score__c',
  'Signalfit_Profile_Fit__c',
  'Signalfit_Profile_Score__c',
  'Signalfit_Qualified_Since__c',
  'Signalfit_Qualified__c',
  'Signalfit_Reach__c',
  'Signalfit_Scored_At__c',
  'Signalfit_Segments__c',
];
const PERSON_FIELDS = [
  'Signalfit_Engagement_Grade__c',
  'Signalfit_Engagement_Score__c',
  'Signalfit_Persona__c',
  'Signalfit_Profile_Fit__c',
  'Signalfit_Source_Type__c',
];
const SETTING_FIELDS = ['Certificate_Name__c', 'Service_URL__c', 'Signing_Method__c', 'Signing_Secret__c'];
const RECORD_FIELDS = [
  ...ACCOUNT_FIELDS.map((f) => `Account.${f}`),
  ...PERSON_FIELDS.map((f) => `Contact.${f}`),
  ...PERSON_FIELDS.map((f) => `Lead.${f}`),
].sort();

const EXPECTED_COMPONENTS = {
  ApexClass: [
    'SignalfitEmbedController',
    'SignalfitEmbedControllerTest',
    'SignalfitJwt',
    'SignalfitJwtTest',
    'SignalfitTokenSigner',
  ],
  CspTrustedSite: ['Signalfit_Service'],
  CustomField: [...RECORD_FIELDS, ...SETTING_FIELDS.map((f) => `Signalfit_Setting__mdt.${f}`)].sort(),
  CustomObject: ['Signalfit_Setting__mdt'],
  CustomPermission: ['Signalfit_Access', 'Signalfit_Admin', 'Signalfit_Sales_Actions'],
  FlexiPage: ['Signalfit_Account_Record_Page', 'Signalfit_Contact_Record_Page', 'Signalfit_Lead_Record_Page'],
  LightningComponentBundle: ['signalfitEmbedUtils', 'signalfitPanel'],
  PermissionSet: ['Signalfit_Admin', 'Signalfit_Integration', 'Signalfit_User'],
};

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });

function asArray(value) {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

function readXml(file) {
  return parser.parse(fs.readFileSync(file, 'utf8'));
}

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === '__tests__' || entry.name === 'node_modules' ? [] : listFiles(full);
    }
    return [full];
  });
}

function groupByType(names) {
  const grouped = {};
  for (const [type, fullName] of names) {
    (grouped[type] = grouped[type] || []).push(fullName);
  }
  Object.values(grouped).forEach((list) => list.sort());
  return grouped;
}

function fieldFile(qualifiedName) {
  const [objectName, fieldName] = qualifiedName.split('.');
  return path.join(DEFAULT_DIR, 'objects', objectName, 'fields', `${fieldName}.field-meta.xml`);
}

function permissionSet(name) {
  return readXml(path.join(DEFAULT_DIR, 'permissionsets', `${name}.permissionset-meta.xml`)).PermissionSet;
}

describe('Salesforce package (force-app)', () => {
  let componentSet;
  let sourceComponents;

  beforeAll(() => {
    componentSet = ComponentSet.fromSource(FORCE_APP);
    sourceComponents = componentSet.getSourceComponents().toArray();
  });

  describe('source-deploy-retrieve', () => {
    it('resolves exactly the expected components, fields included', () => {
      const resolved = [];
      for (const component of sourceComponents) {
        resolved.push([component.type.name, component.fullName]);
        for (const child of component.getChildren()) {
          resolved.push([child.type.name, child.fullName]);
        }
      }

      expect(groupByType(resolved)).toEqual(EXPECTED_COMPONENTS);
    });

    it('leaves the Jest tests and fixtures out of the package', () => {
      const files = sourceComponents.flatMap((component) =>
        component.walkContent().concat(component.xml || []),
      );

      expect(files.length).toBeGreaterThan(0);
      expect(files.filter((file) => file.includes('__tests__'))).toEqual([]);
    });

    describe('conversion to metadata format', () => {
      let outputDir;
      let packageXml;

      beforeAll(async () => {
        outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalfit-mdapi-'));
        await new MetadataConverter().convert(componentSet, 'metadata', {
          type: 'directory',
          outputDirectory: outputDir,
          genUniqueDir: false,
        });
        packageXml = fs.readFileSync(path.join(outputDir, 'package.xml'), 'utf8');
      });

      afterAll(() => {
        fs.rmSync(outputDir, { recursive: true, force: true });
      });

      it('writes a valid package.xml that lists every component', () => {
        expect(XMLValidator.validate(packageXml)).toBe(true);
        const pkg = parser.parse(packageXml).Package;

        expect(pkg['@_xmlns']).toBe(METADATA_NS);
        expect(pkg.version).toBe(API_VERSION);
        const listed = {};
        for (const type of asArray(pkg.types)) {
          listed[type.name] = asArray(type.members).slice().sort();
        }
        expect(listed).toEqual(EXPECTED_COMPONENTS);
      });

      it('writes the metadata-format files', () => {
        const expectedFiles = [
          'classes/SignalfitEmbedController.cls',
          'classes/SignalfitEmbedController.cls-meta.xml',
          'classes/SignalfitJwt.cls',
          'cspTrustedSites/Signalfit_Service.cspTrustedSite',
          'customPermissions/Signalfit_Access.customPermission',
          'lwc/signalfitPanel/signalfitPanel.js',
          'lwc/signalfitPanel/signalfitPanel.html',
          'lwc/signalfitEmbedUtils/signalfitEmbedUtils.js',
          'objects/Account.object',
          'objects/Contact.object',
          'objects/Lead.object',
          'objects/Signalfit_Setting__mdt.object',
          'permissionsets/Signalfit_User.permissionset',
          'permissionsets/Signalfit_Admin.permissionset',
          'permissionsets/Signalfit_Integration.permissionset',
          'flexipages/Signalfit_Account_Record_Page.flexipage',
          'flexipages/Signalfit_Contact_Record_Page.flexipage',
          'flexipages/Signalfit_Lead_Record_Page.flexipage',
          'classes/SignalfitTokenSigner.cls',
        ];
        for (const file of expectedFiles) {
          expect(fs.existsSync(path.join(outputDir, file))).toBe(true);
        }
        expect(listFiles(outputDir).filter((file) => file.endsWith('.test.js'))).toEqual([]);
      });

      it('merges the fields into their objects', () => {
        const account = parser.parse(
          fs.readFileSync(path.join(outputDir, 'objects', 'Account.object'), 'utf8'),
        );
        const names = asArray(account.CustomObject.fields)
          .map((field) => field.fullName)
          .sort();

        expect(names).toEqual(ACCOUNT_FIELDS);
      });

      it('writes well-formed XML everywhere', () => {
        const xmlFiles = listFiles(outputDir).filter((file) => !/\.(js|html|css|cls)$/.test(file));
        expect(xmlFiles.length).toBeGreaterThan(10);
        for (const file of xmlFiles) {
          expect({ file, result: XMLValidator.validate(fs.readFileSync(file, 'utf8')) }).toEqual({
            file,
            result: true,
          });
        }
      });
    });
  });

  describe('API version', () => {
    it('is the newest the installed Salesforce CLI knows: the version its project templates use', () => {
      // @salesforce/templates is what `sf project generate` writes new projects with.
      const templates = require.resolve('@salesforce/templates/lib/utils/constants', {
        paths: [path.join(PROJECT_ROOT, 'node_modules', '@salesforce', 'cli')],
      });

      expect(API_VERSION).toMatch(/^\d{2}\.0$/);
      expect(Number(API_VERSION)).toBeGreaterThanOrEqual(Number(require(templates).DEFAULT_API_VERSION));
    });

    it('is the apiVersion of every metadata file that has one', () => {
      const versions = listFiles(FORCE_APP)
        .filter((file) => file.endsWith('-meta.xml'))
        .flatMap((file) => {
          const document = readXml(file);
          const root = document[Object.keys(document).find((key) => key !== '?xml')];
          return root.apiVersion === undefined ? [] : [[path.relative(FORCE_APP, file), root.apiVersion]];
        });

      expect(versions.length).toBeGreaterThanOrEqual(6);
      expect(versions.filter(([, version]) => version !== API_VERSION)).toEqual([]);
    });
  });

  describe('XML files', () => {
    const xmlFiles = listFiles(FORCE_APP).filter((file) => file.endsWith('.xml'));

    it('finds the metadata files', () => {
      expect(xmlFiles.length).toBe(
        EXPECTED_COMPONENTS.ApexClass.length +
          EXPECTED_COMPONENTS.CspTrustedSite.length +
          EXPECTED_COMPONENTS.CustomField.length +
          EXPECTED_COMPONENTS.CustomObject.length +
          EXPECTED_COMPONENTS.CustomPermission.length +
          EXPECTED_COMPONENTS.FlexiPage.length +
          EXPECTED_COMPONENTS.LightningComponentBundle.length +
          EXPECTED_COMPONENTS.PermissionSet.length,
      );
    });

    it.each(
      listFiles(FORCE_APP)
        .filter((file) => file.endsWith('.xml'))
        .map((f) => [path.relative(PROJECT_ROOT, f)]),
    )('%s is well-formed metadata XML', (relative) => {
      const xml = fs.readFileSync(path.join(PROJECT_ROOT, relative), 'utf8');
      expect(XMLValidator.validate(xml)).toBe(true);
      const document = parser.parse(xml);
      const roots = Object.keys(document).filter((key) => key !== '?xml');
      expect(roots).toHaveLength(1);
      expect(document[roots[0]]['@_xmlns']).toBe(METADATA_NS);
    });

    it('gives every component file the root element of its type', () => {
      for (const component of sourceComponents) {
        const document = readXml(component.xml);
        expect({ file: component.xml, root: Object.keys(document).filter((k) => k !== '?xml') }).toEqual({
          file: component.xml,
          root: [component.type.name],
        });
        for (const child of component.getChildren()) {
          expect(Object.keys(readXml(child.xml))).toContain(child.type.name);
        }
      }
    });
  });

  describe('permission sets', () => {
    it.each([['Signalfit_User'], ['Signalfit_Admin']])(
      '%s names only fields, classes, custom permissions and metadata types that exist in force-app',
      (name) => {
        const ps = permissionSet(name);

        const fields = asArray(ps.fieldPermissions);
        expect(fields.length).toBeGreaterThan(0);
        for (const permission of fields) {
          const file = fieldFile(permission.field);
          expect({ field: permission.field, exists: fs.existsSync(file) }).toEqual({
            field: permission.field,
            exists: true,
          });
          // Required fields cannot be listed in field permissions.
          expect(readXml(file).CustomField.required).not.toBe('true');
          expect(['true', 'false']).toContain(permission.readable);
          expect(['true', 'false']).toContain(permission.editable);
        }

        for (const access of asArray(ps.classAccesses)) {
          expect(fs.existsSync(path.join(DEFAULT_DIR, 'classes', `${access.apexClass}.cls`))).toBe(true);
          expect(fs.existsSync(path.join(DEFAULT_DIR, 'classes', `${access.apexClass}.cls-meta.xml`))).toBe(
            true,
          );
        }

        for (const permission of asArray(ps.customPermissions)) {
          expect(
            fs.existsSync(
              path.join(DEFAULT_DIR, 'customPermissions', `${permission.name}.customPermission-meta.xml`),
            ),
          ).toBe(true);
        }

        for (const access of asArray(ps.customMetadataTypeAccesses)) {
          expect(access.name).toMatch(/__mdt$/);
          expect(
            fs.existsSync(path.join(DEFAULT_DIR, 'objects', access.name, `${access.name}.object-meta.xml`)),
          ).toBe(true);
        }

        expect(ps.hasActivationRequired).toBe('false');
        expect(ps.label).toBeTruthy();
        expect(ps.description).toBeTruthy();
      },
    );

    it('Signalfit_User grants the panel: Signalfit_Access, the Apex class and read on every Signalfit field', () => {
      const ps = permissionSet('Signalfit_User');

      expect(asArray(ps.customPermissions).map((p) => [p.name, p.enabled])).toEqual([
        ['Signalfit_Access', 'true'],
      ]);
      expect(asArray(ps.classAccesses).map((a) => [a.apexClass, a.enabled])).toEqual([
        ['SignalfitEmbedController', 'true'],
      ]);
      const fields = asArray(ps.fieldPermissions);
      expect(fields.map((f) => f.field).sort()).toEqual(RECORD_FIELDS);
      expect(fields.every((f) => f.readable === 'true' && f.editable === 'false')).toBe(true);
      // The signing secret lives in the custom metadata type: users get no access to it.
      expect(ps.customMetadataTypeAccesses).toBeUndefined();
    });

    it('Signalfit_Admin adds the admin and sales-action permissions, edit on the fields and the settings type', () => {
      const ps = permissionSet('Signalfit_Admin');

      expect(asArray(ps.customPermissions).map((p) => [p.name, p.enabled])).toEqual([
        ['Signalfit_Access', 'true'],
        ['Signalfit_Admin', 'true'],
        ['Signalfit_Sales_Actions', 'true'],
      ]);
      expect(asArray(ps.classAccesses).map((a) => a.apexClass)).toEqual(['SignalfitEmbedController']);
      const fields = asArray(ps.fieldPermissions);
      expect(fields.map((f) => f.field).sort()).toEqual(RECORD_FIELDS);
      expect(fields.every((f) => f.readable === 'true' && f.editable === 'true')).toBe(true);
      expect(asArray(ps.customMetadataTypeAccesses).map((a) => [a.name, a.enabled])).toEqual([
        ['Signalfit_Setting__mdt', 'true'],
      ]);
    });
  });

  describe('custom fields', () => {
    it.each(RECORD_FIELDS.map((f) => [f]))('%s has a label, a description and inline help', (name) => {
      const field = readXml(fieldFile(name)).CustomField;

      expect(field.fullName).toBe(name.split('.')[1]);
      expect(field.fullName).toMatch(/^Signalfit_\w+__c$/);
      expect(field.label).toMatch(/^Signalfit /);
      expect(field.label.length).toBeLessThanOrEqual(40);
      expect(field.description.length).toBeGreaterThan(20);
      expect(field.description.length).toBeLessThanOrEqual(1000);
      expect(field.inlineHelpText.length).toBeGreaterThan(10);
      expect(field.inlineHelpText.length).toBeLessThanOrEqual(510);
    });

    const picklists = {
      'Account.Signalfit_Profile_Fit__c': ['Strong', 'Moderate', 'Weak'],
      'Account.Signalfit_Buying_Stage__c': ['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase'],
      'Account.Signalfit_Reach__c': ['Low', 'Medium', 'High'],
      'Contact.Signalfit_Engagement_Grade__c': ['A', 'B', 'C', 'D'],
      'Contact.Signalfit_Profile_Fit__c': ['Strong', 'Moderate', 'Weak'],
      'Lead.Signalfit_Engagement_Grade__c': ['A', 'B', 'C', 'D'],
      'Lead.Signalfit_Profile_Fit__c': ['Strong', 'Moderate', 'Weak'],
      'Contact.Signalfit_Source_Type__c': ['Orchestration', 'Sales Intelligence'],
      'Lead.Signalfit_Source_Type__c': ['Orchestration', 'Sales Intelligence'],
    };

    it.each(Object.entries(picklists))('%s is a restricted picklist of %p', (name, values) => {
      const field = readXml(fieldFile(name)).CustomField;

      expect(field.type).toBe('Picklist');
      expect(field.valueSet.restricted).toBe('true');
      const defined = asArray(field.valueSet.valueSetDefinition.value);
      expect(defined.map((v) => v.fullName)).toEqual(values);
      expect(defined.map((v) => v.label)).toEqual(values);
    });

    it.each([
      ['Account.Signalfit_Profile_Score__c'],
      ['Account.Signalfit_Intent_Score__c'],
      ['Contact.Signalfit_Engagement_Score__c'],
      ['Lead.Signalfit_Engagement_Score__c'],
    ])('%s holds a whole number 0-100', (name) => {
      const field = readXml(fieldFile(name)).CustomField;

      expect([field.type, field.precision, field.scale]).toEqual(['Number', '3', '0']);
    });

    it('gives the other Account fields their types', () => {
      const typeOf = (name) => readXml(fieldFile(`Account.${name}`)).CustomField;

      expect(typeOf('Signalfit_Qualified__c').type).toBe('Checkbox');
      expect(typeOf('Signalfit_Qualified__c').defaultValue).toBe('false');
      expect(typeOf('Signalfit_Qualified_Since__c').type).toBe('Date');
      expect(typeOf('Signalfit_Scored_At__c').type).toBe('DateTime');
      expect(typeOf('Signalfit_Segments__c').type).toBe('LongTextArea');
      expect(readXml(fieldFile('Contact.Signalfit_Persona__c')).CustomField.type).toBe('Text');
    });
  });

  describe('record pages', () => {
    const panelBundle = () =>
      readXml(path.join(DEFAULT_DIR, 'lwc', 'signalfitPanel', 'signalfitPanel.js-meta.xml'))
        .LightningComponentBundle;
    const recordPageConfig = () =>
      asArray(panelBundle().targetConfigs.targetConfig).find(
        (c) => c['@_targets'] === 'lightning__RecordPage',
      );
    const pages = EXPECTED_COMPONENTS.FlexiPage.map((name) => [
      name,
      readXml(path.join(DEFAULT_DIR, 'flexipages', `${name}.flexipage-meta.xml`)).FlexiPage,
    ]);
    const regionsOf = (page) =>
      new Map(asArray(page.flexiPageRegions).map((region) => [region.name, region]));
    const componentsIn = (region) =>
      asArray(region && region.itemInstances).map((item) => item.componentInstance);
    const panelsOn = (page) =>
      asArray(page.flexiPageRegions)
        .flatMap(componentsIn)
        .filter((component) => component.componentName === 'signalfitPanel');

    it("covers exactly the objects the panel's record-page target names", () => {
      const pageObjects = pages
        .filter(([, page]) => panelsOn(page).length > 0)
        .map(([, page]) => page.sobjectType);

      expect(pageObjects.sort()).toEqual(asArray(recordPageConfig().objects.object).slice().sort());
    });

    it.each(pages)(
      '%s is a desktop record page: highlights in the header, details in the main region, the panel in the sidebar',
      (name, page) => {
        expect(page.type).toBe('RecordPage');
        expect(page.template.name).toBe('flexipage:recordHomeTemplateDesktop');
        expect(page.parentFlexiPage).toBe(`sfa__${page.sobjectType}_rec_L`);
        expect(name).toBe(`Signalfit_${page.sobjectType}_Record_Page`);
        expect(page.masterLabel.length).toBeLessThanOrEqual(80);
        expect(page.description).toBeTruthy();

        const regions = regionsOf(page);
        for (const region of ['header', 'main', 'sidebar']) expect(regions.get(region).type).toBe('Region');
        const names = (region) => componentsIn(regions.get(region)).map((c) => c.componentName);
        expect(names('header')).toEqual(['force:highlightsPanel']);
        expect(names('main')).toEqual(['flexipage:tabset']);
        expect(names('detailTabContent')).toEqual(['force:detailPanel']);
        expect(names('sidebar')[0]).toBe('signalfitPanel');

        // Every facet a property names is a region of the page.
        const facets = asArray(page.flexiPageRegions)
          .flatMap(componentsIn)
          .flatMap((c) => asArray(c.componentInstanceProperties))
          .filter((p) => p.name === 'body' || p.name === 'tabs')
          .map((p) => p.value);
        for (const facet of facets) expect(regions.get(facet).type).toBe('Facet');

        const identifiers = asArray(page.flexiPageRegions)
          .flatMap(componentsIn)
          .map((c) => c.identifier);
        expect(new Set(identifiers).size).toBe(identifiers.length);
      },
    );

    it.each(pages)(
      '%s sets the panel height within its range and shows it to holders of Signalfit_Access',
      (name, page) => {
        const [panel] = panelsOn(page);
        const height = asArray(recordPageConfig().property).find((p) => p['@_name'] === 'height');
        const value = Number(
          asArray(panel.componentInstanceProperties).find((p) => p.name === 'height').value,
        );

        expect(panelsOn(page)).toHaveLength(1);
        expect(asArray(panel.componentInstanceProperties).map((p) => p.name)).toEqual(['height']);
        expect(value).toBeGreaterThanOrEqual(Number(height['@_min']));
        expect(value).toBeLessThanOrEqual(Number(height['@_max']));
        expect(asArray(panel.visibilityRule.criteria)).toEqual([
          {
            leftValue: '{!$Permission.CustomPermission.Signalfit_Access}',
            operator: 'EQUAL',
            rightValue: 'true',
          },
        ]);
      },
    );
  });

  describe('settings, trusted site and components', () => {
    it('keeps the service settings in a protected custom metadata type', () => {
      const type = readXml(
        path.join(DEFAULT_DIR, 'objects', 'Signalfit_Setting__mdt', 'Signalfit_Setting__mdt.object-meta.xml'),
      ).CustomObject;
      expect(type.visibility).toBe('Protected');
      expect(type.label).toBe('Signalfit Setting');

      const method = readXml(fieldFile('Signalfit_Setting__mdt.Signing_Method__c')).CustomField;
      expect(asArray(method.valueSet.valueSetDefinition.value).map((v) => v.fullName)).toEqual([
        'HS256',
        'RS256',
      ]);
      for (const name of SETTING_FIELDS) {
        expect(readXml(fieldFile(`Signalfit_Setting__mdt.${name}`)).CustomField.fieldManageability).toBe(
          'SubscriberControlled',
        );
      }
    });

    it('ships no custom metadata record, so no secret is in the repository', () => {
      expect(fs.existsSync(path.join(DEFAULT_DIR, 'customMetadata'))).toBe(false);
    });

    it('trusts the service origin for frames only, documenting that the placeholder must be replaced', () => {
      const site = readXml(
        path.join(DEFAULT_DIR, 'cspTrustedSites', 'Signalfit_Service.cspTrustedSite-meta.xml'),
      ).CspTrustedSite;

      // Shipped as https://signalfit.example.com; an admin may point a fork at the real service.
      expect(site.endpointUrl).toMatch(/^https:\/\/[a-z0-9.-]+(:\d+)?$/);
      expect(site.context).toBe('All');
      expect(site.isActive).toBe('true');
      expect(site.isApplicableToFrameSrc).toBe('true');
      expect(site.isApplicableToConnectSrc).toBe('false');
      expect(site.description).toContain('placeholder');
    });

    it('exposes signalfitPanel on Account, Contact and Lead record pages, app and home pages, with a height', () => {
      const bundle = readXml(
        path.join(DEFAULT_DIR, 'lwc', 'signalfitPanel', 'signalfitPanel.js-meta.xml'),
      ).LightningComponentBundle;

      expect(bundle.apiVersion).toBe(API_VERSION);
      expect(bundle.isExposed).toBe('true');
      expect(asArray(bundle.targets.target)).toEqual([
        'lightning__RecordPage',
        'lightning__AppPage',
        'lightning__HomePage',
      ]);
      const configs = asArray(bundle.targetConfigs.targetConfig);
      const recordPage = configs.find((c) => c['@_targets'] === 'lightning__RecordPage');
      expect(asArray(recordPage.objects.object)).toEqual(['Account', 'Contact', 'Lead']);
      for (const config of configs) {
        const height = asArray(config.property).find((p) => p['@_name'] === 'height');
        expect([height['@_type'], height['@_default'], height['@_min'], height['@_max']]).toEqual([
          'Integer',
          '600',
          '200',
          '2000',
        ]);
      }
      const covered = configs.flatMap((c) => c['@_targets'].split(',').map((t) => t.trim()));
      expect(covered.sort()).toEqual(['lightning__AppPage', 'lightning__HomePage', 'lightning__RecordPage']);
    });

    it('keeps the helper bundle private', () => {
      const bundle = readXml(
        path.join(DEFAULT_DIR, 'lwc', 'signalfitEmbedUtils', 'signalfitEmbedUtils.js-meta.xml'),
      ).LightningComponentBundle;

      expect(bundle.isExposed).toBe('false');
      expect(bundle.apiVersion).toBe(API_VERSION);
    });

    it('gives every Apex class the project API version and status Active', () => {
      for (const name of EXPECTED_COMPONENTS.ApexClass) {
        const meta = readXml(path.join(DEFAULT_DIR, 'classes', `${name}.cls-meta.xml`)).ApexClass;
        expect([name, meta.apiVersion, meta.status]).toEqual([name, API_VERSION, 'Active']);
      }
    });

    it('calls only Apex methods that exist and are @AuraEnabled', () => {
      const lwcSources = listFiles(path.join(DEFAULT_DIR, 'lwc')).filter((file) => file.endsWith('.js'));
      const imports = lwcSources.flatMap((file) =>
        [...fs.readFileSync(file, 'utf8').matchAll(/from '@salesforce\/apex\/(\w+)\.(\w+)'/g)].map((m) => [
          m[1],
          m[2],
        ]),
      );

      expect(imports).toEqual([['SignalfitEmbedController', 'getEmbedContext']]);
      for (const [className, method] of imports) {
        const source = fs.readFileSync(path.join(DEFAULT_DIR, 'classes', `${className}.cls`), 'utf8');
        expect(source).toMatch(new RegExp(`@AuraEnabled[^\\n]*\\n\\s*public static \\w+ ${method}\\(`));
      }
    });
  });
});
