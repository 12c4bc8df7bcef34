import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';

export const ROOT = join(__dirname, '..', '..', '..');
export const KUBERNETES_DIR = join(ROOT, 'deploy', 'kubernetes');

/** A Kubernetes object as parsed from YAML. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = Record<string, any> & { apiVersion: string; kind: string; metadata: { name: string } };
export interface LoadedManifest {
  file: string;
  manifest: Manifest;
}

/**
 * The schema of each kind the manifests use, from kubernetes-models (Kubernetes' own OpenAPI schemas, v1.27) and
 * @kubernetes-models/keda (KEDA's CRDs). A kind without an entry here fails validation: add its schema.
 */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};

/** Every YAML document under deploy/kubernetes (examples/ included), but kustomization.yaml. */
export function loadManifests(dir = KUBERNETES_DIR): LoadedManifest[] {
  const out: LoadedManifest[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name) && name !== 'kustomization.yaml') {
        for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
          if (doc.errors.length) throw new Error(`${relative(ROOT, path)}: ${doc.errors[0]?.message}`);
          const manifest = doc.toJS() as Manifest | null;
          if (manifest) out.push({ file: relative(ROOT, path), manifest });
        }
      }
    }
  };
  walk(dir);
  return out;
}

const where = ({ file, manifest }: LoadedManifest): string =>
  `${file}: ${manifest?.kind ?? '?'}/${manifest?.metadata?.name ?? '?'}`;

/** Schema validation of each object: the problems found, each naming its file, kind and name. */
export function schemaProblems(manifests: LoadedManifest[]): string[] {
  const problems: string[] = [];
  for (const loaded of manifests) {
    const { apiVersion, kind } = loaded.manifest ?? {};
    const Model = MODELS[`${apiVersion}/${kind}`];
    if (!Model) {
      problems.push(`${where(loaded)}: no schema for ${apiVersion}/${kind} (add it to MODELS in this file)`);
      continue;
    }
    try {
      new Model(loaded.manifest as never).validate();
    } catch (error) {
      problems.push(`${where(loaded)}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** What the schemas cannot see: how the objects fit together, and what production needs of each workload. */
export function policyProblems(manifests: LoadedManifest[], options: { longestActivitySeconds: number }): string[] {
  const problems: string[] = [];
  const all = manifests.map((m) => m.manifest);
  const named = (kind: string, name: string) => all.find((m) => m.kind === kind && m.metadata?.name === name);
  const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
    Boolean(selector) && Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

  for (const loaded of manifests) {
    const m = loaded.manifest;
    const at = where(loaded);
    const pod = m.kind === 'Deployment' || m.kind === 'Job' ? m.spec?.template : null;
    if (pod) {
      const spec = pod.spec ?? {};
      if (spec.securityContext?.runAsNonRoot !== true) problems.push(`${at}: pod must set runAsNonRoot: true`);
      if (spec.automountServiceAccountToken !== false)
        problems.push(`${at}: automountServiceAccountToken must be false`);
      for (const c of spec.containers ?? []) {
        const cat = `${at} container ${c.name}`;
        if (!/:[\w.-]+$/.test(c.image ?? '') || /:latest$/.test(c.image))
          problems.push(`${cat}: image needs a fixed tag`);
        for (const kind of ['requests', 'limits'])
          for (const resource of ['cpu', 'memory'])
            if (!c.resources?.[kind]?.[resource]) problems.push(`${cat}: resources.${kind}.${resource} missing`);
        if (c.securityContext?.allowPrivilegeEscalation !== false)
          problems.push(`${cat}: allowPrivilegeEscalation must be false`);
        for (const source of c.envFrom ?? []) {
          const ref = source.configMapRef ?? source.secretRef;
          const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
          if (!named(kind, ref?.name)) problems.push(`${cat}: envFrom ${kind} ${ref?.name} is not defined`);
        }
        if (m.kind === 'Deployment') {
          if (!c.readinessProbe) problems.push(`${cat}: readinessProbe missing`);
          if (!c.livenessProbe) problems.push(`${cat}: livenessProbe missing`);
          const ports = new Set(
            (c.ports ?? []).flatMap((p: { name?: string; containerPort: number }) => [p.name, p.containerPort]),
          );
          for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
            const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
            if (c[probe] && !ports.has(port)) problems.push(`${cat}: ${probe} port ${port} is not a container port`);
          }
        }
      }
      for (const volume of spec.volumes ?? []) {
        if (volume.secret && !volume.secret.optional && !named('Secret', volume.secret.secretName))
          problems.push(`${at}: volume ${volume.name} needs Secret ${volume.secret.secretName}`);
      }
    }
    if (m.kind === 'Deployment') {
      if ((m.spec?.replicas ?? 1) < 2) problems.push(`${at}: at least 2 replicas (one pod is an outage on every roll)`);
      if (!matches(m.spec?.selector?.matchLabels, m.spec?.template?.metadata?.labels))
        problems.push(`${at}: selector does not match the pod labels`);
      const pdb = all.find(
        (p) =>
          p.kind === 'PodDisruptionBudget' &&
          matches(p.spec?.selector?.matchLabels, m.spec?.template?.metadata?.labels),
      );
      if (!pdb) problems.push(`${at}: no PodDisruptionBudget selects its pods`);
      if (m.metadata.name === 'seamline-worker') {
        const grace = m.spec?.template?.spec?.terminationGracePeriodSeconds ?? 30;
        if (grace <= options.longestActivitySeconds)
          problems.push(
            `${at}: terminationGracePeriodSeconds ${grace} must exceed the worker's drain (longest activity ${options.longestActivitySeconds} s)`,
          );
      }
    }
    if (m.kind === 'PodDisruptionBudget' || m.kind === 'Service') {
      const selector = m.kind === 'Service' ? m.spec?.selector : m.spec?.selector?.matchLabels;
      const target = all.find((d) => d.kind === 'Deployment' && matches(selector, d.spec?.template?.metadata?.labels));
      if (!target) problems.push(`${at}: selects no Deployment's pods`);
      if (m.kind === 'Service' && target) {
        const containerPorts = (target.spec.template.spec.containers ?? []).flatMap(
          (c: { ports?: { name?: string; containerPort: number }[] }) =>
            (c.ports ?? []).flatMap((p) => [p.name, p.containerPort]),
        );
        for (const p of m.spec?.ports ?? [])
          if (!containerPorts.includes(p.targetPort))
            problems.push(`${at}: targetPort ${p.targetPort} is no container port`);
      }
    }
    if (m.kind === 'Ingress') {
      for (const rule of m.spec?.rules ?? [])
        for (const path of rule.http?.paths ?? []) {
          const backend = path.backend?.service;
          const service = named('Service', backend?.name);
          if (!service) problems.push(`${at}: backend Service ${backend?.name} is not defined`);
          else if (
            !(service.spec?.ports ?? []).some(
              (p: { name?: string; port: number }) => p.name === backend.port?.name || p.port === backend.port?.number,
            )
          )
            problems.push(`${at}: Service ${backend.name} has no port ${JSON.stringify(backend.port)}`);
        }
    }
    if (m.kind === 'HorizontalPodAutoscaler' || m.kind === 'ScaledObject') {
      const ref = m.spec?.scaleTargetRef;
      if (!named(ref?.kind ?? 'Deployment', ref?.name))
        problems.push(`${at}: scales ${ref?.name}, which is not defined`);
    }
  }
  return problems;
}

/** The longest startToCloseTimeout among the ticket workflow's activity options, in seconds. */
export function longestActivitySeconds(): number {
  const source = readFileSync(join(ROOT, 'workflows', 'ticket', 'activities.ts'), 'utf8');
  const seconds = [...source.matchAll(/startToCloseTimeout: '(\d+)s'/g)].map((m) => Number(m[1]));
  if (seconds.length === 0) throw new Error('no startToCloseTimeout found in workflows/ticket/activities.ts');
  return Math.max(...seconds);
}
