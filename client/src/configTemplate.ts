/** A commented `.sbd.yaml`: every setting is an example in a comment, so creating the file changes nothing. */
export const CONFIG_TEMPLATE = `# Secure by Design project configuration. It applies on top of the editor settings and is
# what the sbd CLI uses in CI, so the team reviews one file. Invalid entries are reported here.

# Rule overrides: off, on, error, warning or info.
# rules:
#   IMM001: warning
#   BND004: off

# Limits behind the counting rules.
# thresholds:
#   secretHolders: 3    # a secret held by more services/workloads than this is reported
#   datastoreReach: 3   # a datastore reachable from more components than this is reported
#   tcbSize: 5          # components in the trusted computing base

# Trust levels of compose networks and Kubernetes namespaces:
# untrusted, semi-trusted, trusted or highly-trusted.
# zones:
#   networks:
#     frontend: semi-trusted
#     backend: trusted
#   namespaces:
#     ingress-nginx: semi-trusted
#     payments: highly-trusted

# Files not to analyse (globs relative to this file).
# ignore:
#   - "charts/**/templates/**"

# Where the architecture model lives.
# architecture: architecture.yaml
`;
