import type { Rule } from '../rule';
import { archSecretSprawl } from './archSecretSprawl';
import { archTcbEgress } from './archTcbEgress';
import { archTcbNotIsolated } from './archTcbNotIsolated';
import { archTcbExcessPrivileges } from './archTcbExcessPrivileges';
import { archTcbSize } from './archTcbSize';
import { archDriftSecretHolders } from './archDriftSecretHolders';
import { privilegedContainer } from './privilegedContainer';
import { dangerousCapability } from './dangerousCapability';
import { hardeningBaseline } from './hardeningBaseline';
import { hostNetwork } from './hostNetwork';
import { hostPid } from './hostPid';
import { hostIpc } from './hostIpc';
import { runtimeSocketMount } from './runtimeSocketMount';
import { sensitiveHostMount } from './sensitiveHostMount';
import { literalSecretInEnvironment } from './literalSecretInEnvironment';
import { secretHolders } from './secretHolders';

export const tcbRules: readonly Rule[] = [privilegedContainer, dangerousCapability, hostNetwork, hostPid, hostIpc, runtimeSocketMount, sensitiveHostMount, literalSecretInEnvironment, secretHolders, hardeningBaseline, archSecretSprawl, archTcbEgress, archTcbNotIsolated, archTcbExcessPrivileges, archTcbSize, archDriftSecretHolders];
