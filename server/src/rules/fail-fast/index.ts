import type { Rule } from '../rule';
import { archPipelineLevelExceedsSink } from './archPipelineLevelExceedsSink';
import { archNoStartupValidation } from './archNoStartupValidation';
import { failOpenSecretDefault } from './failOpenSecretDefault';
import { failOpenSwitchDefault } from './failOpenSwitchDefault';
import { optionalSecretReference } from './optionalSecretReference';
import { authDisabledByEnvironment } from './authDisabledByEnvironment';
import { redisNoPassword } from './redisWithoutPassword';
import { tlsVerificationDisabled } from './tlsVerificationDisabled';
import { permissiveMtls } from './permissiveMtls';
import { threagileIncompleteModel } from './threagileIncompleteModel';

export const failFastRules: readonly Rule[] = [failOpenSecretDefault, failOpenSwitchDefault, optionalSecretReference, authDisabledByEnvironment, redisNoPassword, tlsVerificationDisabled, permissiveMtls, archPipelineLevelExceedsSink, archNoStartupValidation, threagileIncompleteModel];
