import type { Rule } from '../rule';
import { archFlowWithoutAuthentication } from './archFlowWithoutAuthentication';
import { archNetworkLocationTrust } from './archNetworkLocationTrust';
import { archWeakAuthorizationToSensitiveData } from './archWeakAuthorizationToSensitiveData';
import { archNoAuditLogOnPath } from './archNoAuditLogOnPath';
import { archUnvalidatedQueueConsumer } from './archUnvalidatedQueueConsumer';
import { archDriftMtlsWithoutMesh } from './archDriftMtlsWithoutMesh';
import { runAsRoot } from './runAsRoot';
import { privilegeEscalation } from './privilegeEscalation';
import { serviceAccountToken } from './serviceAccountToken';
import { defaultServiceAccount } from './defaultServiceAccount';
import { seccompUnconfined } from './seccompUnconfined';
import { apparmorUnconfined } from './apparmorUnconfined';
import { rbacWildcard } from './rbacWildcard';
import { clusterAdminBinding } from './clusterAdminBinding';
import { rbacSecretAccess } from './rbacSecretAccess';
import { rbacEscalationVerbs } from './rbacEscalationVerbs';
import { selinuxUnconfined } from './selinuxUnconfined';
import { threagileMissingSecondFactor } from './threagileMissingSecondFactor';
import { threagileMissingIdentityStore } from './threagileMissingIdentityStore';
import { threagileUnencryptedCommunication } from './threagileUnencryptedCommunication';
import { threagileServiceRegistryPoisoning } from './threagileServiceRegistryPoisoning';

export const zeroTrustRules: readonly Rule[] = [
  runAsRoot,
  privilegeEscalation,
  serviceAccountToken,
  defaultServiceAccount,
  seccompUnconfined,
  apparmorUnconfined,
  rbacWildcard,
  clusterAdminBinding,
  rbacSecretAccess,
  rbacEscalationVerbs,
  selinuxUnconfined,
  archFlowWithoutAuthentication,
  archNetworkLocationTrust,
  archWeakAuthorizationToSensitiveData,
  archNoAuditLogOnPath,
  archUnvalidatedQueueConsumer,
  archDriftMtlsWithoutMesh,
  threagileMissingSecondFactor,
  threagileMissingIdentityStore,
  threagileUnencryptedCommunication,
  threagileServiceRegistryPoisoning,
];
