export { decodeOnnx, decodeOnnxTensor, readOnnx, type DecodeOptions } from './read';
export { encodeOnnx, sourceDataFiles, writeOnnx, type WriteOnnxOptions } from './write';
export { sniffOnnx, type OnnxSniff } from './sniff';
export { dtypeFromOnnx, dtypeToOnnx } from './dtype-map';
