import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../libs/config';
import {
  KUBERNETES_DIR,
  loadManifests,
  longestActivitySeconds,
  policyProblems,
  schemaProblems,
  type LoadedManifest,
  type Manifest,
} from './support/manifests';

/**
 * Every manifest under deploy/kubernetes, offline: each object against its Kubernetes (or KEDA) schema, then how
 * they fit together and what production needs of them. A manifest that breaks any of it fails here.
 */
describe('Kubernetes manifests', () => {
  const manifests = loadManifests();
  const find = (kind: string, name: string): Manifest => {
    const found = manifests.find((m) => m.manifest.kind === kind && m.manifest.metadata.name === name);
    if (!found) throw new Error(`${kind}/${name} is not in deploy/kubernetes`);
    return found.manifest;
  };
  const container = (deployment: Manifest) => deployment.spec.template.spec.containers[0];

  it('has the objects production needs', () => {
    const names = manifests.map((m) => `${m.manifest.kind}/${m.manifest.metadata.name}`).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'ConfigMap/seamline-config',
        'Deployment/seamline-api',
        'Deployment/seamline-worker',
        'HorizontalPodAutoscaler/seamline-api',
        'Ingress/seamline-api',
        'Job/seamline-migrate',
        'PodDisruptionBudget/seamline-api',
        'PodDisruptionBudget/seamline-worker',
        'ScaledObject/seamline-worker',
        'Secret/seamline-secrets',
        'Secret/seamline-temporal-tls',
        'Service/seamline-api',
      ]),
    );
  });

  it('validates every object against its schema', () => {
    expect(manifests.length).toBeGreaterThan(10);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  it('fits together: selectors, ports, references, probes, resources, grace periods', () => {
    expect(policyProblems(manifests, { longestActivitySeconds: longestActivitySeconds() })).toEqual([]);
  });

  it('probes real checks: the API health endpoint, the worker liveness and readiness endpoints', () => {
    const api = container(find('Deployment', 'seamline-api'));
    expect(api.readinessProbe.httpGet.path).toBe('/api/v1/health');
    const worker = container(find('Deployment', 'seamline-worker'));
    expect(worker.livenessProbe.httpGet.path).toBe('/livez');
    expect(worker.readinessProbe.httpGet.path).toBe('/readyz');
    const config = find('ConfigMap', 'seamline-config');
    expect(Number(config.data.WORKER_HEALTH_PORT)).toBe(worker.ports[0].containerPort);
  });

  it('configures the apps with settings the real config validation accepts', () => {
    const config = find('ConfigMap', 'seamline-config').data as Record<string, string>;
    const secret = find('Secret', 'seamline-secrets').stringData as Record<string, string>;
    const workerEnv = Object.fromEntries(
      container(find('Deployment', 'seamline-worker')).env.map((e: { name: string; value: string }) => [
        e.name,
        e.value,
      ]),
    );
    const loaded = loadConfig({ ...config, ...secret, ...workerEnv });
    expect(loaded.temporal.taskQueue).toBe('tickets');
    expect(loaded.workerHealth).toEqual({ host: '0.0.0.0', port: 8081 });
    expect(loaded.access.environment).toBe('production');
  });

  it('lists every manifest outside examples/ in kustomization.yaml', () => {
    const kustomization = parse(readFileSync(join(KUBERNETES_DIR, 'kustomization.yaml'), 'utf8')) as {
      resources: string[];
    };
    const files = [...new Set(manifests.map((m) => m.file.replace('deploy/kubernetes/', '')))];
    expect([...kustomization.resources].sort()).toEqual(files.filter((f) => !f.startsWith('examples/')).sort());
  });

  describe('fails a broken manifest', () => {
    const deployment = (): LoadedManifest => ({
      file: 'broken.yaml',
      manifest: structuredClone(find('Deployment', 'seamline-worker')),
    });

    it('a wrong type, a missing required field, an unknown kind', () => {
      const wrongType = deployment();
      wrongType.manifest.spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
      const noSelector = deployment();
      delete noSelector.manifest.spec.selector;
      const unknownKind: LoadedManifest = {
        file: 'broken.yaml',
        manifest: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      };
      const problems = schemaProblems([wrongType, noSelector, unknownKind]);
      expect(problems).toHaveLength(3);
      expect(problems[0]).toMatch(/containerPort must be integer/);
      expect(problems[1]).toMatch(/spec must have required property selector/);
      expect(problems[2]).toMatch(/no schema for example.com\/v1\/Widget/);
    });

    it('a worker whose grace period is shorter than its drain, without limits, with a probe on no port', () => {
      const broken = deployment();
      const pod = broken.manifest.spec.template.spec;
      pod.terminationGracePeriodSeconds = 30;
      delete pod.containers[0].resources.limits;
      pod.containers[0].readinessProbe.httpGet.port = 9999;
      const others = manifests.filter(
        (m) => m.manifest.metadata.name !== 'seamline-worker' || m.manifest.kind !== 'Deployment',
      );
      const problems = policyProblems([...others, broken], { longestActivitySeconds: 90 });
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /terminationGracePeriodSeconds 30 must exceed the worker's drain \(longest activity 90 s\)/,
          ),
          expect.stringMatching(/resources.limits.cpu missing/),
          expect.stringMatching(/resources.limits.memory missing/),
          expect.stringMatching(/readinessProbe port 9999 is not a container port/),
        ]),
      );
    });

    it('a Service that selects no pods and an Ingress to a Service that does not exist', () => {
      const service = structuredClone(find('Service', 'seamline-api'));
      service.spec.selector = { 'app.kubernetes.io/name': 'nobody' };
      const ingress = structuredClone(find('Ingress', 'seamline-api'));
      ingress.spec.rules[0].http.paths[0].backend.service.name = 'missing';
      const rest = manifests.filter((m) => !['Service', 'Ingress'].includes(m.manifest.kind));
      const problems = policyProblems(
        [...rest, { file: 'broken.yaml', manifest: service }, { file: 'broken.yaml', manifest: ingress }],
        { longestActivitySeconds: 90 },
      );
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/Service\/seamline-api: selects no Deployment's pods/),
          expect.stringMatching(/Ingress\/seamline-api: backend Service missing is not defined/),
        ]),
      );
    });
  });
});
