;; The positions of JSON's special bytes in a buffer, 16 bytes at a time (WebAssembly SIMD):
;; the index that summarizeResults' byte scanner (src/results/json-scan.ts) skips the text of
;; strings with. Compiled to src/results/specials-wasm.ts by scripts/build-wasm.mjs.
;;
;; index(src, len, out): for each i in [0, len) in order where the byte at src + i is `"`
;; (0x22), `\` (0x5c) or below 0x20, writes i as an i32 at out, out + 4, ...; returns how
;; many. It reads the 16-byte blocks that cover [src, src + len): the caller pads the
;; bytes after src + len up to the next multiple of 16 with a byte that is not special.
(module
  (memory (export "memory") 1)
  (func (export "index") (param $src i32) (param $len i32) (param $out i32) (result i32)
    (local $at i32)
    (local $end i32)
    (local $o i32)
    (local $v v128)
    (local $m i32)
    (local.set $at (local.get $src))
    (local.set $end (i32.add (local.get $src) (local.get $len)))
    (local.set $o (local.get $out))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $v (v128.load align=1 (local.get $at)))
        (local.set $m
          (i8x16.bitmask
            (v128.or
              (v128.or
                (i8x16.eq (local.get $v) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))
                (i8x16.eq (local.get $v) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
              (i8x16.lt_u (local.get $v) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)))))
        (block $none
          (loop $bits
            (br_if $none (i32.eqz (local.get $m)))
            (i32.store (local.get $o)
              (i32.sub (i32.add (local.get $at) (i32.ctz (local.get $m))) (local.get $src)))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            (br $bits)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $blocks)))
    (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 2))))
