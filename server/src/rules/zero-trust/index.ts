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
import { rbacWorkloadControl } from './rbacWorkloadControl';
import { rbacUnauthenticatedSubject } from './rbacUnauthenticatedSubject';
import { selinuxUnconfined } from './selinuxUnconfined';
import { sharedServiceAccount } from './sharedServiceAccount';
import { threagileMissingSecondFactor } from './threagileMissingSecondFactor';
import { threagileMissingIdentityStore } from './threagileMissingIdentityStore';
import { threagileUnencryptedCommunication } from './threagileUnencryptedCommunication';
import { threagileServiceRegistryPoisoning } from './threagileServiceRegistryPoisoning';
import { controlPlaneAnonymousAuth } from './controlPlaneAnonymousAuth';
import { controlPlaneAuthorizationFailOpen } from './controlPlaneAuthorizationFailOpen';
import { controlPlaneUnverifiedTls } from './controlPlaneUnverifiedTls';
import { controlPlaneWeakTls } from './controlPlaneWeakTls';
import { etcdWithoutMutualTls } from './etcdWithoutMutualTls';
import { controlPlaneNoAuditTrail } from './controlPlaneNoAuditTrail';
import { serviceAccountTokensUnverified } from './serviceAccountTokensUnverified';
import { istioAllowAll } from './istioAllowAll';
import { istioIpOnlySource } from './istioIpOnlySource';
import { istioJwtNotRequired } from './istioJwtNotRequired';
import { destinationRuleTlsDowngrade } from './destinationRuleTlsDowngrade';
import { istioSidecarOptOut } from './istioSidecarOptOut';
import { linkerdUnauthenticatedPolicy } from './linkerdUnauthenticatedPolicy';
import { archDriftTokenNotRequired } from './archDriftTokenNotRequired';
import { archDriftAuthorizationCoarser } from './archDriftAuthorizationCoarser';
import { linkerdNetworkOnlyAuthentication } from './linkerdNetworkOnlyAuthentication';
import { meshProxyBypassedPorts } from './meshProxyBypassedPorts';
import { linkerdAuthenticatedNotAuthorized } from './linkerdAuthenticatedNotAuthorized';
import { istioOpenSource } from './istioOpenSource';
import { istioWorkloadWithoutAllowPolicy } from './istioWorkloadWithoutAllowPolicy';
import { istioHeaderOnlyCondition } from './istioHeaderOnlyCondition';

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
  rbacEscalationVerbs, rbacWorkloadControl, rbacUnauthenticatedSubject,
  selinuxUnconfined,
  sharedServiceAccount,
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
  controlPlaneAnonymousAuth,
  controlPlaneAuthorizationFailOpen,
  controlPlaneUnverifiedTls,
  controlPlaneWeakTls,
  etcdWithoutMutualTls,
  controlPlaneNoAuditTrail,
  serviceAccountTokensUnverified,
  istioAllowAll,
  istioIpOnlySource,
  istioJwtNotRequired,
  destinationRuleTlsDowngrade,
  istioSidecarOptOut,
  linkerdUnauthenticatedPolicy,
  archDriftTokenNotRequired,
  archDriftAuthorizationCoarser,
  linkerdNetworkOnlyAuthentication,
  meshProxyBypassedPorts,
  linkerdAuthenticatedNotAuthorized,
  istioOpenSource,
  istioWorkloadWithoutAllowPolicy,
  istioHeaderOnlyCondition,
];
