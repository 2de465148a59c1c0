#!/usr/bin/env python3
"""PyTorch reference for Lithe's training (issue 15): builds the same network as a sequential ONNX
model (architecture and weights read from the .onnx file with python3-onnx), then either

  train MODEL TRAIN_IMAGES TRAIN_LABELS TEST_IMAGES TEST_LABELS --epochs E --batch B --lr LR --threads T [--init random|keep]
        [--schedule constant|linear|cosine|step] [--warmup-steps W] [--label-smoothing E]
      trains with Adam like `lithe train` (the learning rate of step s set as Lithe's schedule.ts sets it)
      and prints one JSON line per epoch (seconds, samples/s, test accuracy)
  grads MODEL IMAGES LABELS --samples N OUT.json
      writes the cross-entropy loss and the gradient of every initializer for the first N samples

Debian's python3-torch and python3-onnx only; Lithe itself never needs Python."""
import argparse, gzip, json, math, struct, sys, time

import numpy as np
import onnx
from onnx import numpy_helper
import torch
from torch import nn


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack('>' + 'I' * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


class Gemm(nn.Module):
    def __init__(self, weight, bias, trans_b):
        super().__init__()
        self.trans_b = trans_b
        self.weight = nn.Parameter(weight)
        self.bias = nn.Parameter(bias) if bias is not None else None

    def forward(self, x):
        y = x @ (self.weight.t() if self.trans_b else self.weight)
        return y + self.bias if self.bias is not None else y


def build(model_path):
    """A torch module per ONNX node of a chain (each node reads the previous node's output)."""
    m = onnx.load(model_path)
    inits = {t.name: torch.tensor(numpy_helper.to_array(t).copy()) for t in m.graph.initializer}
    layers = []
    names = {}  # torch parameter name -> ONNX initializer name
    previous = m.graph.input[0].name
    for node in m.graph.node:
        if node.input[0] != previous:
            sys.exit(f'train-reference: {node.op_type} "{node.name}" does not read the previous node: only chains are supported')
        previous = node.output[0]
        op = node.op_type
        if op == 'Conv':
            w = inits[node.input[1]]
            pads = attr(node, 'pads', [0] * 4)
            if pads[:2] != pads[2:]:
                sys.exit('train-reference: asymmetric pads are not supported')
            layer = nn.Conv2d(w.shape[1] * attr(node, 'group', 1), w.shape[0], tuple(w.shape[2:]), stride=tuple(attr(node, 'strides', [1, 1])),
                              padding=tuple(pads[:2]), dilation=tuple(attr(node, 'dilations', [1, 1])), groups=attr(node, 'group', 1), bias=len(node.input) > 2)
            layer.weight.data.copy_(w)
            names[f'{len(layers)}.weight'] = node.input[1]
            if len(node.input) > 2:
                layer.bias.data.copy_(inits[node.input[2]])
                names[f'{len(layers)}.bias'] = node.input[2]
        elif op == 'Gemm':
            if attr(node, 'transA', 0) or attr(node, 'alpha', 1.0) != 1.0 or attr(node, 'beta', 1.0) != 1.0:
                sys.exit('train-reference: only Gemm with transA 0, alpha 1, beta 1')
            bias = inits[node.input[2]] if len(node.input) > 2 else None
            layer = Gemm(inits[node.input[1]], bias, attr(node, 'transB', 0) == 1)
            names[f'{len(layers)}.weight'] = node.input[1]
            if bias is not None:
                names[f'{len(layers)}.bias'] = node.input[2]
        elif op == 'Relu':
            layer = nn.ReLU()
        elif op == 'MaxPool':
            pads = attr(node, 'pads', [0] * 4)
            layer = nn.MaxPool2d(tuple(attr(node, 'kernel_shape', [2, 2])), stride=tuple(attr(node, 'strides', [1, 1])), padding=tuple(pads[:2]),
                                 ceil_mode=bool(attr(node, 'ceil_mode', 0)))
        elif op == 'AveragePool':
            pads = attr(node, 'pads', [0] * 4)
            layer = nn.AvgPool2d(tuple(attr(node, 'kernel_shape', [2, 2])), stride=tuple(attr(node, 'strides', [1, 1])), padding=tuple(pads[:2]),
                                 count_include_pad=bool(attr(node, 'count_include_pad', 0)))
        elif op == 'GlobalAveragePool':
            layer = nn.AdaptiveAvgPool2d(1)
        elif op == 'Flatten':
            layer = nn.Flatten(attr(node, 'axis', 1))
        else:
            sys.exit(f'train-reference: no PyTorch equivalent written for {op}')
        layers.append(layer)
    return nn.Sequential(*layers), names


def reinit(net):
    for layer in net:
        if isinstance(layer, nn.Conv2d):
            layer.reset_parameters()
        elif isinstance(layer, Gemm):
            fan_in = layer.weight.shape[1] if layer.trans_b else layer.weight.shape[0]
            bound = 1 / fan_in ** 0.5
            nn.init.uniform_(layer.weight, -bound, bound)
            if layer.bias is not None:
                nn.init.uniform_(layer.bias, -bound, bound)


def images(path):
    x = read_idx(path).astype(np.float32) / 255.0
    return torch.tensor(x).unsqueeze(1)


def learning_rate(args, step, total):
    """Lithe's schedules (src/engine/train/schedule.ts): linear warm-up, then constant, linear or cosine decay to 0, or step."""
    if args.warmup_steps > 0 and step < args.warmup_steps:
        return args.lr * (step + 1) / args.warmup_steps
    t = min(1.0, max(0.0, (step - args.warmup_steps) / max(1, total - args.warmup_steps)))
    if args.schedule == 'linear':
        return args.lr * (1 - t)
    if args.schedule == 'cosine':
        return args.lr * (1 + math.cos(math.pi * t)) / 2
    if args.schedule == 'step':
        return args.lr * 0.1 ** min(2, math.floor(3 * t))
    return args.lr


def train(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    net, _ = build(args.model)
    if args.init == 'random':
        reinit(net)
    x, y = images(args.train_images), torch.tensor(read_idx(args.train_labels).astype(np.int64))
    if args.limit:
        x, y = x[:args.limit], y[:args.limit]
    tx, ty = images(args.test_images), torch.tensor(read_idx(args.test_labels).astype(np.int64))
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    steps_per_epoch = (len(x) + args.batch - 1) // args.batch
    total = steps_per_epoch * args.epochs
    step = 0
    for epoch in range(args.epochs):
        net.train()
        started = time.perf_counter()
        cpu_started = time.process_time()
        order = torch.randperm(len(x))
        for start in range(0, len(x), args.batch):
            idx = order[start:start + args.batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            for group in opt.param_groups:
                group['lr'] = learning_rate(args, step, total)
            opt.step()
            step += 1
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        net.eval()
        with torch.no_grad():
            correct = sum(int((net(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum()) for i in range(0, len(tx), 1000))
        print(json.dumps({'epoch': epoch + 1, 'seconds': seconds, 'cpuSeconds': cpu_seconds, 'samplesPerSecond': len(x) / seconds, 'testAccuracy': correct / len(tx),
                          'threads': args.threads, 'batch': args.batch, 'torch': torch.__version__}), flush=True)


def grads(args):
    torch.set_num_threads(1)
    net, names = build(args.model)
    net = net.double()
    x = images(args.images)[:args.samples].double()
    y = torch.tensor(read_idx(args.labels).astype(np.int64))[:args.samples]
    loss = nn.CrossEntropyLoss()(net(x), y)
    loss.backward()
    out = {'loss': loss.item(), 'grads': {names[n]: p.grad.flatten().tolist() for n, p in net.named_parameters()}}
    with open(args.out, 'w') as f:
        json.dump(out, f)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='command', required=True)
    t = sub.add_parser('train')
    for name in ('model', 'train_images', 'train_labels', 'test_images', 'test_labels'):
        t.add_argument(name)
    t.add_argument('--epochs', type=int, default=3)
    t.add_argument('--batch', type=int, default=64)
    t.add_argument('--lr', type=float, default=1e-3)
    t.add_argument('--threads', type=int, default=1)
    t.add_argument('--seed', type=int, default=1)
    t.add_argument('--init', choices=['random', 'keep'], default='random')
    t.add_argument('--schedule', choices=['constant', 'linear', 'cosine', 'step'], default='constant')
    t.add_argument('--warmup-steps', type=int, default=0)
    t.add_argument('--label-smoothing', type=float, default=0.0)
    t.add_argument('--limit', type=int, default=0, help='train on the first N images only')
    g = sub.add_parser('grads')
    for name in ('model', 'images', 'labels'):
        g.add_argument(name)
    g.add_argument('--samples', type=int, default=64)
    g.add_argument('out')
    args = p.parse_args()
    train(args) if args.command == 'train' else grads(args)


if __name__ == '__main__':
    main()
