export { BUILTIN_PROFILES } from './builtin-profiles';
export { detectHostProfile, parseCpuInfo, simdFromFlags } from './detect-host';
export { defaultDevicesFolder, readUserProfiles, saveUserProfile } from './user-profiles';
export { listDevices } from './list-devices';
export { estimateDevices } from './estimate';
export { opCost, macsOf, type OpCost } from './op-cost';
export { deployedActivationMemory, type DeployedMemory } from './deployed-memory';
export { modelledTime, type ModelledTime } from './roofline';
export { checkFit, type FitCheck } from './fit';
