import type { Rule } from '../rule';
import { archCrossingWithoutControls } from './archCrossingWithoutControls';
import { archTierSkip } from './archTierSkip';
import { archDatastoreReach } from './archDatastoreReach';
import { archComponentWithoutZone } from './archComponentWithoutZone';
import { archUnknownReference } from './archUnknownReference';
import { archDriftUnmodelledDeployment } from './archDriftUnmodelledDeployment';
import { archDriftDatastoreReach } from './archDriftDatastoreReach';
import { portsOnAllInterfaces } from './portsOnAllInterfaces';
import { datastoreExposed } from './datastoreExposed';
import { flatNetwork } from './flatNetwork';
import { workloadWithoutNetworkPolicy } from './workloadWithoutNetworkPolicy';
import { plaintextExposure } from './plaintextExposure';
import { hostPort } from './hostPort';
import { networkPolicyAllowsAll } from './networkPolicyAllowsAll';
import { exposedHostLevelWorkload } from './exposedHostLevelWorkload';
import { threagileUnguardedDatastoreAccess } from './threagileUnguardedDatastoreAccess';
import { threagileUnguardedInternetAccess } from './threagileUnguardedInternetAccess';
import { threagileMissingNetworkSegmentation } from './threagileMissingNetworkSegmentation';
import { threagileWrongBoundaryContent } from './threagileWrongBoundaryContent';
import { threagileMixedSharedRuntime } from './threagileMixedSharedRuntime';
import { threagileDenialOfServiceAcrossBoundary } from './threagileDenialOfServiceAcrossBoundary';
import { threagileMissingWaf } from './threagileMissingWaf';
import { threagileWrongLinkContent } from './threagileWrongLinkContent';

export const boundaryRules: readonly Rule[] = [
  portsOnAllInterfaces,
  datastoreExposed,
  flatNetwork,
  workloadWithoutNetworkPolicy,
  plaintextExposure,
  hostPort,
  networkPolicyAllowsAll,
  exposedHostLevelWorkload,
  archCrossingWithoutControls,
  archTierSkip,
  archDatastoreReach,
  archComponentWithoutZone,
  archUnknownReference,
  archDriftUnmodelledDeployment,
  archDriftDatastoreReach,
  threagileUnguardedDatastoreAccess,
  threagileUnguardedInternetAccess,
  threagileMissingNetworkSegmentation,
  threagileWrongBoundaryContent,
  threagileMixedSharedRuntime,
  threagileDenialOfServiceAcrossBoundary,
  threagileMissingWaf,
  threagileWrongLinkContent,
];
