import type { Rule } from '../rule';
import { archMutableDeployment } from './archMutableDeployment';
import { archConfigOutsideVersionControl } from './archConfigOutsideVersionControl';
import { archUnpinnedUnsignedArtifacts } from './archUnpinnedUnsignedArtifacts';
import { archRemoteShellDeployment } from './archRemoteShellDeployment';
import { unpinnedImage } from './unpinnedImage';
import { imageWithoutDigest } from './imageWithoutDigest';
import { writableRootFilesystem } from './writableRootFilesystem';
import { writableConfigMount } from './writableConfigMount';
import { selfModifyingStartup } from './selfModifyingStartup';
import { threagileUncheckedDeployment } from './threagileUncheckedDeployment';
import { threagileCodeBackdooring } from './threagileCodeBackdooring';
import { threagileBaseImageBackdooring } from './threagileBaseImageBackdooring';
import { threagileMissingBuildInfrastructure } from './threagileMissingBuildInfrastructure';

export const immutableRules: readonly Rule[] = [unpinnedImage, imageWithoutDigest, writableRootFilesystem, writableConfigMount, selfModifyingStartup, archMutableDeployment, archConfigOutsideVersionControl, archUnpinnedUnsignedArtifacts, archRemoteShellDeployment, threagileUncheckedDeployment, threagileCodeBackdooring, threagileBaseImageBackdooring, threagileMissingBuildInfrastructure];
