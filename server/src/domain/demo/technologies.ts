/**
 * The technographics catalog: cloud providers, CI tools, container/infrastructure tools,
 * languages, competitors' security products, observability and work tracking.
 *
 * An account uses technology x with probability
 *   p = min(0.95, adoption × (1 + techAffinity × (2 × techIntensity − 1)) × sizeBoost)
 * where techIntensity comes from the industry (0–1) and sizeBoost = clamp(0.35 + 0.11 × ln(employees), 0.5, 1.6)
 * (bigger companies run more tools). `fitWeight` is the technology's term in the hidden fit
 * logit: modern cloud-native stacks (Kubernetes, GitHub Actions, Terraform, Go) need the product;
 * a mainframe shop does not; an account already on a direct competitor (Snyk) is harder to win.
 */
export type TechnologyCategory = 'cloud' | 'ci' | 'infrastructure' | 'language' | 'security' | 'operations';

export interface Technology {
  readonly name: string;
  readonly category: TechnologyCategory;
  /** Adoption probability at an average company (techIntensity 0.5, sizeBoost 1). */
  readonly adoption: number;
  /** −1…1: how strongly adoption follows the industry's techIntensity (negative: legacy tech). */
  readonly techAffinity: number;
  readonly fitWeight: number;
}

export const TECHNOLOGIES: readonly Technology[] = [
  { name: 'AWS', category: 'cloud', adoption: 0.55, techAffinity: 0.5, fitWeight: 0.25 },
  { name: 'Microsoft Azure', category: 'cloud', adoption: 0.35, techAffinity: -0.1, fitWeight: 0.1 },
  { name: 'Google Cloud', category: 'cloud', adoption: 0.2, techAffinity: 0.6, fitWeight: 0.2 },
  { name: 'Oracle Cloud', category: 'cloud', adoption: 0.06, techAffinity: -0.5, fitWeight: -0.1 },
  { name: 'GitHub Actions', category: 'ci', adoption: 0.35, techAffinity: 0.7, fitWeight: 0.45 },
  { name: 'GitLab CI', category: 'ci', adoption: 0.2, techAffinity: 0.6, fitWeight: 0.35 },
  { name: 'Jenkins', category: 'ci', adoption: 0.3, techAffinity: 0.2, fitWeight: 0.1 },
  { name: 'CircleCI', category: 'ci', adoption: 0.1, techAffinity: 0.8, fitWeight: 0.3 },
  { name: 'Azure DevOps', category: 'ci', adoption: 0.15, techAffinity: 0.0, fitWeight: 0.1 },
  { name: 'Bitbucket Pipelines', category: 'ci', adoption: 0.1, techAffinity: 0.4, fitWeight: 0.15 },
  { name: 'Kubernetes', category: 'infrastructure', adoption: 0.35, techAffinity: 0.7, fitWeight: 0.55 },
  { name: 'Docker', category: 'infrastructure', adoption: 0.45, techAffinity: 0.6, fitWeight: 0.3 },
  { name: 'Terraform', category: 'infrastructure', adoption: 0.3, techAffinity: 0.7, fitWeight: 0.35 },
  { name: 'HashiCorp Vault', category: 'infrastructure', adoption: 0.12, techAffinity: 0.5, fitWeight: 0.2 },
  { name: 'Argo CD', category: 'infrastructure', adoption: 0.08, techAffinity: 0.8, fitWeight: 0.3 },
  { name: 'Java', category: 'language', adoption: 0.45, techAffinity: 0.1, fitWeight: 0.15 },
  { name: 'Python', category: 'language', adoption: 0.5, techAffinity: 0.4, fitWeight: 0.1 },
  { name: 'Go', category: 'language', adoption: 0.18, techAffinity: 0.8, fitWeight: 0.3 },
  { name: 'Node.js', category: 'language', adoption: 0.4, techAffinity: 0.6, fitWeight: 0.1 },
  { name: '.NET', category: 'language', adoption: 0.3, techAffinity: -0.2, fitWeight: 0.0 },
  { name: 'Ruby', category: 'language', adoption: 0.08, techAffinity: 0.7, fitWeight: 0.1 },
  { name: 'COBOL', category: 'language', adoption: 0.04, techAffinity: -0.9, fitWeight: -0.5 },
  { name: 'Snyk', category: 'security', adoption: 0.1, techAffinity: 0.8, fitWeight: -0.35 },
  { name: 'Veracode', category: 'security', adoption: 0.07, techAffinity: 0.2, fitWeight: -0.15 },
  { name: 'Checkmarx', category: 'security', adoption: 0.06, techAffinity: 0.2, fitWeight: -0.15 },
  { name: 'SonarQube', category: 'security', adoption: 0.2, techAffinity: 0.5, fitWeight: 0.25 },
  { name: 'Black Duck', category: 'security', adoption: 0.05, techAffinity: 0.0, fitWeight: 0.1 },
  { name: 'Wiz', category: 'security', adoption: 0.07, techAffinity: 0.7, fitWeight: -0.1 },
  { name: 'Prisma Cloud', category: 'security', adoption: 0.05, techAffinity: 0.3, fitWeight: -0.1 },
  { name: 'Datadog', category: 'operations', adoption: 0.2, techAffinity: 0.7, fitWeight: 0.2 },
  { name: 'Splunk', category: 'operations', adoption: 0.15, techAffinity: 0.0, fitWeight: 0.05 },
  { name: 'Jira', category: 'operations', adoption: 0.5, techAffinity: 0.3, fitWeight: 0.1 },
  { name: 'ServiceNow', category: 'operations', adoption: 0.12, techAffinity: -0.2, fitWeight: -0.1 },
];

/** Adoption probability of `technology` (formula in the module comment). */
export function adoptionProbability(
  technology: Technology,
  techIntensity: number,
  employees: number,
): number {
  const sizeBoost = Math.min(1.6, Math.max(0.5, 0.35 + 0.11 * Math.log(employees)));
  const affinity = 1 + technology.techAffinity * (2 * techIntensity - 1);
  return Math.min(0.95, technology.adoption * affinity * sizeBoost);
}
