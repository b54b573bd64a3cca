// Just enough of the protobuf wire format to read an ONNX file: fields by number, varints,
// length-delimited bytes, fixed 32- and 64-bit values, and packed repeated numbers. No schema and
// no code generation; onnx.ts names the fields it needs.

export class ProtobufError extends Error {}

export type WireValue =
  | { readonly wire: 0; readonly value: number }
  | { readonly wire: 1; readonly bytes: Uint8Array }
  | { readonly wire: 2; readonly bytes: Uint8Array }
  | { readonly wire: 5; readonly bytes: Uint8Array };

export interface Field {
  readonly number: number;
  readonly value: WireValue;
}

/**
 * Reads a varint as a JavaScript number. Values past 2^53 lose precision, which is harmless for
 * what ONNX keeps in them (dims, enums, attribute integers); negative int64s come back negative.
 */
function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ProtobufError('the file ends inside a number');
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) {
      // A negative int64 is written as its 64-bit two's complement.
      return [value >= 2 ** 63 ? value - 2 ** 64 : value, pos];
    }
  }
  throw new ProtobufError('a number is longer than 10 bytes');
}

/** The fields of one message, in the order written. */
export function readFields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    let key: number;
    [key, pos] = readVarint(buf, pos);
    const number = Math.floor(key / 8);
    const wire = key & 7;
    if (number === 0) throw new ProtobufError(`field number 0 at byte ${pos}`);
    switch (wire) {
      case 0: {
        let value: number;
        [value, pos] = readVarint(buf, pos);
        out.push({ number, value: { wire, value } });
        break;
      }
      case 1:
      case 5: {
        const size = wire === 1 ? 8 : 4;
        if (pos + size > buf.length) throw new ProtobufError('the file ends inside a fixed-size value');
        out.push({ number, value: { wire, bytes: buf.subarray(pos, pos + size) } });
        pos += size;
        break;
      }
      case 2: {
        let len: number;
        [len, pos] = readVarint(buf, pos);
        if (len < 0 || pos + len > buf.length) throw new ProtobufError(`field ${number} claims ${len} bytes; only ${buf.length - pos} are left`);
        out.push({ number, value: { wire, bytes: buf.subarray(pos, pos + len) } });
        pos += len;
        break;
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wire} (field ${number}): not a protobuf file, or a damaged one`);
    }
  }
  return out;
}

/** A message's fields grouped by number. */
export class Message {
  private readonly byNumber = new Map<number, WireValue[]>();

  constructor(buf: Uint8Array) {
    for (const f of readFields(buf)) {
      const list = this.byNumber.get(f.number);
      if (list) list.push(f.value);
      else this.byNumber.set(f.number, [f.value]);
    }
  }

  private all(n: number): WireValue[] {
    return this.byNumber.get(n) ?? [];
  }

  has(n: number): boolean {
    return this.byNumber.has(n);
  }

  /** Embedded messages (repeated or not). */
  messages(n: number): Message[] {
    return this.all(n).flatMap((v) => (v.wire === 2 ? [new Message(v.bytes)] : []));
  }

  message(n: number): Message | null {
    return this.messages(n).at(-1) ?? null;
  }

  bytes(n: number): Uint8Array | null {
    const v = this.all(n).at(-1);
    return v && v.wire === 2 ? v.bytes : null;
  }

  string(n: number): string {
    const b = this.bytes(n);
    return b ? new TextDecoder().decode(b) : '';
  }

  strings(n: number): string[] {
    return this.all(n).flatMap((v) => (v.wire === 2 ? [new TextDecoder().decode(v.bytes)] : []));
  }

  int(n: number, fallback = 0): number {
    const v = this.all(n).at(-1);
    return v && v.wire === 0 ? v.value : fallback;
  }

  /** Repeated varints, packed or not. */
  ints(n: number): number[] {
    const out: number[] = [];
    for (const v of this.all(n)) {
      if (v.wire === 0) out.push(v.value);
      else if (v.wire === 2) {
        let pos = 0;
        while (pos < v.bytes.length) {
          let x: number;
          [x, pos] = readVarint(v.bytes, pos);
          out.push(x);
        }
      }
    }
    return out;
  }

  float(n: number, fallback = 0): number {
    const v = this.all(n).at(-1);
    return v && v.wire === 5 ? new DataView(v.bytes.buffer, v.bytes.byteOffset, 4).getFloat32(0, true) : fallback;
  }

  /** Repeated float (fixed32) or double (fixed64) values, packed or not. */
  fixed(n: number, size: 4 | 8): number[] {
    const out: number[] = [];
    for (const v of this.all(n)) {
      if (v.wire === 0) continue;
      const view = new DataView(v.bytes.buffer, v.bytes.byteOffset, v.bytes.byteLength);
      for (let pos = 0; pos + size <= v.bytes.byteLength; pos += size) out.push(size === 4 ? view.getFloat32(pos, true) : view.getFloat64(pos, true));
    }
    return out;
  }
}
