// ONNX QLinearConv on int8 data with int8 weights → TFLite's int8 convolution kernels, which compute it
// the same way (int32 sum, y = clamp(round_half_even(float(acc) · float32(sx·sw/sy)) + zy)):
//   QLinearConv(x:int8, sx, zx, w:int8, sw, 0, sy, zy, B:int32)
//     ⇒  CONV_2D(x (sx, zx), w [O,KH,KW,I] (sw per O), B (sx·sw))            → y (sy, zy)
//     ⇒  DEPTHWISE_CONV_2D(x, w [1,KH,KW,O] (sw along axis 3), B)           → y   (one group per channel)
// TFLite wants int8 weights with zero points of 0; other QLinearConvs (uint8 data, as most ONNX models
// have) still run as float between QUANTIZE and DEQUANTIZE (qlinear-to-qdq.ts).
import type { Graph } from '../../../../ir/graph';
import type { Node } from '../../../../ir/node';
import { perTensorQuantization, type ValueQuantization } from '../../../../ir/quantization';
import type { Value } from '../../../../ir/value';
import { cannot } from '../op-context';
import { permuteData } from '../tflite-emitter';
import type { OnnxOpContext } from './context';
import { constantNumbers } from './narrow';
import { convOptions, NHWC, nhwcInput, tflitePadding, windowOf, withNhwcOutput } from './ops-conv';
import type { OnnxConverter } from './ops-elementwise';

const constantOf = (graph: Graph, v: Value | undefined) => (v ? (v.initializer ?? graph.value(v.name)?.initializer) : undefined);

/** True when QLinearConv `node` can run on TFLite's int8 kernels (see the module comment). */
export function runsAsInt8Conv(graph: Graph, node: Node): boolean {
  if (node.opType !== 'QLinearConv' || (node.domain !== '' && node.domain !== 'ai.onnx')) return false;
  const [, xs, xz, w, ws, wz, ys, yz, bias] = node.inputs.map((v) => constantOf(graph, v));
  if (!w || w.dtype !== 'int8' || w.dims.length !== 4 || !xz || xz.dtype !== 'int8' || !yz || yz.dtype !== 'int8') return false;
  if (!xs || !ys || !ws || constantNumbers(xs).length !== 1 || constantNumbers(ys).length !== 1) return false;
  if (wz && constantNumbers(wz).some((z) => z !== 0)) return false;
  if (node.inputs[8] && (!bias || bias.dtype !== 'int32')) return false;
  return true;
}

/** Sets the quantization of a TFLite tensor, refusing a second, different one. */
function quantized(value: Value, q: ValueQuantization): Value {
  const same = (a: ValueQuantization): boolean =>
    a.axis === q.axis && a.scale.join() === q.scale.join() && a.zeroPoint.join() === q.zeroPoint.join();
  if (value.quantization && !same(value.quantization)) cannot(`'${value.name}' is quantized with other parameters elsewhere`);
  value.quantization = q;
  return value;
}

const qlinearConv: OnnxConverter = (ctx: OnnxOpContext) => {
  const { node, em, base } = ctx;
  const xShape = ctx.shape(0);
  if (xShape.length !== 4) cannot('only 2-D quantized convolution is supported');
  const weights = ctx.constant(3) ?? cannot('the weights must be a constant');
  const [outC = 1, inPerGroup = 1, kh = 1, kw = 1] = weights.dims;
  const group = node.int('group', 1);
  const channels = xShape[1] ?? 1;
  if (channels !== inPerGroup * group) cannot(`${channels} input channels do not match ${group} groups of ${inPerGroup}`);
  const depthwise = group > 1 && group === channels && inPerGroup === 1;
  if (group > 1 && !depthwise) cannot('grouped quantized convolution (other than depthwise) has no TFLite kernel');
  const [sx = 1] = ctx.numbers(1, 'the input scale');
  const [zx = 0] = ctx.numbers(2, 'the input zero point');
  const sw = ctx.numbers(4, 'the weight scale');
  const [sy = 1] = ctx.numbers(6, 'the output scale');
  const [zy = 0] = ctx.numbers(7, 'the output zero point');
  const perChannel = sw.length > 1;
  const input = perTensorQuantization(sx, zx);
  quantized(ctx.inputIn(0, NHWC), input);
  const w = windowOf(node, xShape, [kh, kw]);
  const { padding, explicit } = tflitePadding(w);
  // TFLite pads quantized data with its zero point, which is the real 0 QLinearConv pads with
  const { x } = nhwcInput(ctx, xShape, explicit);
  quantized(x, input);
  const filterShape = depthwise ? [1, kh, kw, outC] : [outC, kh, kw, inPerGroup];
  const filterPerm = depthwise ? [1, 2, 3, 0] : [0, 2, 3, 1];
  const filter = em.constant(`${weights.name}_q`, 'int8', filterShape, permuteData(weights.bytes(), weights.dims, filterPerm, 1));
  const axis = depthwise ? 3 : 0;
  filter.quantization = { scale: sw, zeroPoint: sw.map(() => 0), axis: perChannel ? axis : 0 };
  const biasScale = (perChannel ? sw : [sw[0] ?? 1]).map((s) => Math.fround(sx * s));
  const biasData = ctx.node.inputs[8] ? ctx.constant(8) : undefined;
  const bias = em.constant(`${base}_bias`, 'int32', [outC], biasData ? biasData.bytes() : new Uint8Array(4 * outC));
  bias.quantization = { scale: biasScale, zeroPoint: biasScale.map(() => 0), axis: 0 };
  const options = convOptions(w, padding);
  withNhwcOutput(ctx, false, (y) => {
    quantized(y, perTensorQuantization(sy, zy));
    if (depthwise) em.op('DEPTHWISE_CONV_2D', [x, filter, bias], y, { ...options, depth_multiplier: outC / group });
    else em.op('CONV_2D', [x, filter, bias], y, options);
  });
};

/** Converters for ONNX's integer convolution. */
export const QLINEAR_CONV_CONVERTERS: Record<string, OnnxConverter> = { QLinearConv: qlinearConv };
