import { isInterpolated, valueWhenUnset } from './interpolation';

export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  /** Contains interpolation or templating (`${TAG}`, `{{ .Values }}`): the real value is decided elsewhere. */
  readonly templated: boolean;
}

/** Splits `registry:5000/org/name:tag@sha256:…` into its parts. */
export function parseImageReference(image: string): ImageReference | undefined {
  const text = image.trim();
  if (text === '') return undefined;
  const templated = isInterpolated(text) || text.includes('{{');
  const at = text.indexOf('@');
  const digest = at === -1 ? undefined : text.slice(at + 1);
  const name = at === -1 ? text : text.slice(0, at);
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  return {
    repository: hasTag ? name.slice(0, colon) : name,
    tag: hasTag ? name.slice(colon + 1) : undefined,
    digest: digest || undefined,
    templated,
  };
}

/**
 * Whether an image runs one of `repositories`, by product name: the repository with any registry
 * host dropped (`registry.k8s.io/redis` runs Redis, though it is not Docker Hub's `redis` image).
 */
export function imageRepositoryIs(image: string | undefined, repositories: RegExp): boolean {
  const product = imageProduct(image);
  return product !== undefined && repositories.test(product);
}

/** The product an image runs: `imageRepository` without any registry host (`registry.k8s.io/redis` → `redis`). */
export function imageProduct(image: string | undefined): string | undefined {
  return imageRepository(image)?.replace(/^[^/]*[.:][^/]*\//, '');
}

/**
 * The image a reference names when no variable is set: `${APP_IMAGE:-example/app}:${TAG:-1.2}`
 * reads as `example/app:1.2`. Undefined when a part has no default (decided elsewhere) or when
 * the text is a Helm template.
 */
export function imageWhenUnset(image: string): string | undefined {
  if (image.includes('{{')) return undefined;
  const value = valueWhenUnset(image.trim());
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The repository an image names, as Docker Hub and registries spell it for people: registry host
 * (a first segment with a dot, a port or `localhost`), Docker Hub's `library/` prefix, tag and
 * digest removed, lower case. `docker.io/library/postgres:16` → `postgres`,
 * `ghcr.io/goauthentik/server:2024.8` → `goauthentik/server`, `postgres:${PG_VERSION}` → `postgres`. Undefined when the repository is
 * chosen by a variable without a default.
 */
export function imageRepository(image: string | undefined): string | undefined {
  return image === undefined ? undefined : repositoryOf(image);
}

/**
 * `read` remembered per text, within a bound: rules ask about the same few image references once
 * per service and rule, and a file of hundreds of services should not parse each reference dozens of times.
 */
function rememberedByText<T>(read: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    if (known.has(text)) return known.get(text)!;
    if (known.size >= 4096) known.clear();
    const value = read(text);
    known.set(text, value);
    return value;
  };
}

const repositoryOf = rememberedByText(readRepository);

function readRepository(image: string): string | undefined {
  // `postgres:${PG_VERSION}`: a tag chosen by a variable without a default still names the repository.
  const resolved = imageWhenUnset(image) ?? /^([^${}\s]+):\$\{[^}]*\}$/.exec(image.trim())?.[1];
  const reference = resolved === undefined ? undefined : parseImageReference(resolved);
  if (!reference || reference.repository === '') return undefined;
  const segments = reference.repository.toLowerCase().split('/');
  const registry = segments.length > 1 && (/[.:]/.test(segments[0]) || segments[0] === 'localhost') ? segments.shift()! : 'docker.io';
  // Mirrors of Docker Hub's official images keep their names (`public.ecr.aws/docker/library/postgres`).
  if (segments[0] === 'docker' && segments[1] === 'library' && segments.length > 2) segments.splice(0, 2);
  if (segments[0] === 'library' && segments.length > 1) segments.shift();
  // A one-word name is Docker Hub's official image only on Docker Hub: `registry.k8s.io/redis` is not `redis`.
  if (segments.length === 1 && !DOCKER_HUB.has(registry) && reference.repository.includes('/') && !/\/(?:docker\/)?library\//i.test(reference.repository)) return `${registry}/${segments[0]}`;
  return segments.join('/');
}

/** Host names of Docker Hub, whose one-word repositories are the official images. */
export const DOCKER_HUB: ReadonlySet<string> = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** The registry host of an image (`ghcr.io`, `quay.io`), or `docker.io` for Docker Hub. */
export function imageRegistry(image: string): string {
  const first = (imageWhenUnset(image) ?? image).trim().split('/')[0];
  return image.includes('/') && (/[.:]/.test(first) || first === 'localhost') ? first.toLowerCase() : 'docker.io';
}

/**
 * What is known about the user an image's process runs as, from the image's own Dockerfile or
 * entrypoint. One table for compose and Kubernetes alike; each entry names where it comes from.
 * Images whose entrypoint starts as root and drops to a service user (gosu, su-exec, setpriv)
 * before the server runs count as non-root: the process a client can reach is unprivileged.
 */
export interface ImageUserFact {
  /** Repositories as `imageRepository` spells them. */
  readonly repository: RegExp;
  /** The user, as the image's documentation names it (`USER 472 (grafana)`, `gosu postgres`). */
  readonly user: string;
  /** Where this is written: the Dockerfile or entrypoint of the image's source repository. */
  readonly source: string;
}

export const NON_ROOT_IMAGES: readonly ImageUserFact[] = [
  { repository: /^(?:postgres|postgis\/postgis|pgvector\/pgvector|timescale\/timescaledb(?:-ha)?|supabase\/postgres|zulip\/zulip-postgresql|tensorchord\/pgvecto-rs|immich-app\/postgres)$/, user: 'postgres (the postgres entrypoint drops root with gosu)', source: 'docker-library/postgres docker-entrypoint.sh, inherited by images built FROM postgres (zulip/zulip Dockerfile-postgresql via groonga/pgroonga, supabase/postgres, timescaledb, pgvector)' },
  { repository: /^(?:mysql|mariadb)$/, user: 'mysql (the entrypoint drops root with gosu)', source: 'docker-library/mysql and MariaDB/mariadb-docker docker-entrypoint.sh' },
  { repository: /^mongo$/, user: 'mongodb (the entrypoint drops root with gosu)', source: 'docker-library/mongo docker-entrypoint.sh' },
  { repository: /^mongodb\/mongodb-community-server$/, user: 'USER mongod', source: 'mongodb/mongodb-enterprise-docker Dockerfile' },
  { repository: /^(?:redis|valkey\/valkey)$/, user: 'redis / valkey (the entrypoint drops root with gosu)', source: 'docker-library/redis and valkey-io/valkey-container docker-entrypoint.sh' },
  { repository: /^rabbitmq$/, user: 'rabbitmq (the entrypoint drops root with gosu)', source: 'docker-library/rabbitmq docker-entrypoint.sh' },
  { repository: /^memcached$/, user: 'USER memcache', source: 'docker-library/memcached Dockerfile' },
  { repository: /^(?:cassandra|couchdb|zookeeper|solr|neo4j)$/, user: 'the service user (the entrypoint drops root)', source: 'docker-library cassandra, couchdb, zookeeper, solr and neo4j images' },
  { repository: /^(?:elasticsearch|kibana|logstash|elasticsearch\/elasticsearch|kibana\/kibana|logstash\/logstash|beats\/[^/]+)$/, user: 'USER 1000', source: 'elastic/dockerfiles Dockerfiles' },
  { repository: /^clickhouse\/clickhouse-server$/, user: 'clickhouse (the entrypoint drops root with gosu)', source: 'ClickHouse/ClickHouse docker/server/entrypoint.sh' },
  { repository: /^dpage\/pgadmin4$/, user: 'USER pgadmin', source: 'pgadmin-org/pgadmin4 Dockerfile' },
  { repository: /^grafana\/(?:grafana(?:-oss|-enterprise)?|loki|tempo|mimir)$/, user: 'USER 472 (grafana) / 10001', source: 'grafana/grafana, grafana/loki, grafana/tempo Dockerfiles' },
  { repository: /^(?:prom|prometheus)\/[^/]+$/, user: 'USER nobody', source: 'prometheus/prometheus, alertmanager, node_exporter Dockerfiles' },
  { repository: /^prometheus-operator\/[^/]+$/, user: 'USER nobody', source: 'prometheus-operator/prometheus-operator Dockerfiles' },
  { repository: /^kube-state-metrics\/kube-state-metrics$/, user: 'USER nobody', source: 'kubernetes/kube-state-metrics Dockerfile' },
  { repository: /^bitnami\//, user: 'USER 1001', source: 'bitnami/containers (non-root containers)' },
  { repository: /^(?:jenkins\/jenkins|sonarqube)$/, user: 'USER jenkins / sonarqube', source: 'jenkinsci/docker and SonarSource/docker-sonarqube Dockerfiles' },
  { repository: /^confluentinc\//, user: 'USER appuser', source: 'confluentinc/common-docker base image' },
  { repository: /^nginxinc\/nginx-unprivileged$/, user: 'USER 101', source: 'nginxinc/docker-nginx-unprivileged Dockerfile' },
  { repository: /^keycloak\/keycloak$/, user: 'USER 1000', source: 'keycloak/keycloak quarkus/container/Dockerfile' },
  { repository: /^(?:redpandadata\/redpanda|vectorized\/redpanda)$/, user: 'USER redpanda', source: 'redpanda-data/redpanda Dockerfile' },
  { repository: /^(?:kong|kong\/kong-gateway|kong\/kong)$/, user: 'USER kong', source: 'Kong/docker-kong Dockerfile.*' },
  { repository: /^darthsim\/imgproxy$/, user: 'USER 999', source: 'imgproxy/imgproxy docker/Dockerfile' },
  { repository: /^goauthentik\/server$/, user: 'USER 1000', source: 'goauthentik/authentik Dockerfile' },
  { repository: /^wazuh\/wazuh-(?:indexer|dashboard)$/, user: 'USER wazuh-indexer / wazuh-dashboard', source: 'wazuh/wazuh-docker indexer and dashboard Dockerfiles' },
  { repository: /^graylog\/graylog(?:-enterprise)?$/, user: 'USER graylog', source: 'Graylog2/graylog-docker docker/oss/Dockerfile' },
  { repository: /^graylog\/graylog-datanode$/, user: 'graylog (the entrypoint drops root with setpriv)', source: 'Graylog2/graylog-docker docker/datanode entrypoint' },
  { repository: /^langfuse\/langfuse(?:-worker)?$/, user: 'USER nextjs / expressjs', source: 'langfuse/langfuse web/Dockerfile and worker/Dockerfile' },
  { repository: /^(?:rocketchat\/rocket\.chat|rocket\.chat)$/, user: 'USER rocketchat', source: 'RocketChat/Rocket.Chat apps/meteor/.docker/Dockerfile' },
  { repository: /^curlimages\/curl$/, user: 'USER curl_user', source: 'curl/curl-container Dockerfile' },
  { repository: /^istio\/examples-bookinfo-[^/]+$/, user: 'USER 1000 / 1001', source: 'istio/istio samples/bookinfo/src/*/Dockerfile' },
  { repository: /^argoproj\/argocd$/, user: 'USER 999 (argocd)', source: 'argoproj/argo-cd Dockerfile' },
  { repository: /^chainguard\//, user: 'USER 65532 (nonroot)', source: 'Chainguard images' },
];

/** Registries whose images run as a non-root user by default (Chainguard). */
const NON_ROOT_REGISTRY = /^cgr\.dev$/;
/** Tags that name a non-root variant (`:nonroot`, `-rootless`, distroless `:debug-nonroot`). */
const NON_ROOT_TAG = /(?:^|[-.])(?:nonroot|rootless)(?:[-.]|$)/i;

/**
 * What is known about the user an image runs as: the table entry (or a non-root tag or registry),
 * or undefined when nothing is known (the image's own USER decides, out of sight).
 */
export function knownImageUser(image: string | undefined): { readonly user: string; readonly source: string } | undefined {
  return image === undefined ? undefined : imageUserOf(image);
}

const imageUserOf = rememberedByText(readImageUser);

function readImageUser(image: string): { readonly user: string; readonly source: string } | undefined {
  const repository = imageRepository(image);
  if (repository === undefined) return undefined;
  const resolved = imageWhenUnset(image) ?? image;
  const tag = parseImageReference(resolved)?.tag;
  if (tag && NON_ROOT_TAG.test(tag)) return { user: `a non-root variant (tag ${tag})`, source: 'the image tag' };
  if (NON_ROOT_REGISTRY.test(imageRegistry(image))) return { user: 'USER 65532 (nonroot)', source: 'Chainguard images' };
  const fact = NON_ROOT_IMAGES.find((entry) => entry.repository.test(repository));
  return fact ? { user: fact.user, source: fact.source } : undefined;
}

/**
 * Tags that move like `latest`: a branch or a channel, not a release (`master`, `main`,
 * `develop`, `nightly`, `edge`, `dev`, `stable`, `rolling`, `canary`, `snapshot`, `beta`…).
 */
const MOVING_TAG = /^(?:latest|master|main|develop|development|dev|devel|trunk|nightly|edge|unstable|stable|rolling|canary|snapshot|beta|alpha|next|preview|insiders|head|current)$/i;

/** Whether a tag moves to new code without a change to the file that names it. */
export function isMovingTag(tag: string): boolean {
  return MOVING_TAG.test(tag.trim());
}
