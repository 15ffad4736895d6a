;; headLineIsSound of src/results/json-scan.ts in WebAssembly, the text of strings crossed 16
;; bytes at a time (SIMD): summarizeResults' check that a line is one valid JSON value whose
;; later keys do not override its head. Compiled to src/results/json-scan-wasm.ts by
;; scripts/build-wasm.mjs; src/results/json-scan-simd.ts loads it. Every branch follows the
;; JavaScript function line for line, and a property test holds the two to the same answers.
;;
;; The caller copies the bytes being read to offset 0 of `memory`, with at least 16 bytes of
;; memory after them (a block load may read past a line's end: what it finds there is ignored).
;;
;; sound(from, end): 1 when headLineIsSound(bytes, from, end) is true, else 0.
;;
;; line(start, end): the line [start, end) read as HeadReader#head of jsonl-heads.ts reads it:
;; when it starts `{"custom_id":"…","result":{"type":"…"` (both strings without escapes or
;; control characters), then `,` or `}`, and the rest is sound, idEnd * 1024 + the type's
;; length in bytes (idEnd: the index of the `"` closing the id; the type starts 20 bytes after
;; it); -1 when it is not such a line; -2 when it is in that form but its type is 1024 bytes
;; or longer (the caller reads that one itself).
(module
  (memory (export "memory") 1)

  (func $isSpace (param $c i32) (result i32)
    (i32.or
      (i32.or (i32.eq (local.get $c) (i32.const 0x20)) (i32.eq (local.get $c) (i32.const 0x09)))
      (i32.eq (local.get $c) (i32.const 0x0d))))

  (func $isDigit (param $c i32) (result i32)
    (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10)))

  (func $isHex (param $c i32) (result i32)
    (i32.or
      (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10))
      (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 0x20)) (i32.const 0x61)) (i32.const 6))))

  ;; `"` `\` `/` `b` `f` `n` `r` `t`: what may follow `\`, other than `u`.
  (func $isEscape (param $e i32) (result i32)
    (i32.or
      (i32.or
        (i32.or (i32.eq (local.get $e) (i32.const 0x22)) (i32.eq (local.get $e) (i32.const 0x5c)))
        (i32.or (i32.eq (local.get $e) (i32.const 0x2f)) (i32.eq (local.get $e) (i32.const 0x62))))
      (i32.or
        (i32.or (i32.eq (local.get $e) (i32.const 0x66)) (i32.eq (local.get $e) (i32.const 0x6e)))
        (i32.or (i32.eq (local.get $e) (i32.const 0x72)) (i32.eq (local.get $e) (i32.const 0x74))))))

  ;; The index of the `"` closing a string whose text starts at $i; -1 when an escape or a
  ;; control character comes first, or the line ends first.
  (func $plainEnd (param $i i32) (param $end i32) (result i32)
    (local $v v128)
    (local $m i32)
    (block $found
      (loop $blocks
        (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
        (local.set $v (v128.load align=1 (local.get $i)))
        (local.set $m
          (i8x16.bitmask
            (v128.or
              (v128.or
                (i8x16.eq (local.get $v) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))
                (i8x16.eq (local.get $v) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
              (i8x16.lt_u (local.get $v) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)))))
        (br_if $found (local.get $m))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $m))))
    (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x22)) (then (return (i32.const -1))))
    (local.get $i))

  (func (export "line") (param $start i32) (param $end i32) (result i32)
    (local $idEnd i32)
    (local $typeStart i32)
    (local $typeEnd i32)
    (local $after i32)
    ;; `{"custom_id":"`
    (if (i32.gt_u (i32.add (local.get $start) (i32.const 14)) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.eqz
          (i32.and
            (i64.eq (i64.load (local.get $start)) (i64.const 0x6d6f74737563227b))
            (i32.and
              (i32.eq (i32.load offset=8 (local.get $start)) (i32.const 0x2264695f))
              (i32.eq (i32.load16_u offset=12 (local.get $start)) (i32.const 0x223a)))))
      (then (return (i32.const -1))))
    (local.set $idEnd (call $plainEnd (i32.add (local.get $start) (i32.const 14)) (local.get $end)))
    (if (i32.eq (local.get $idEnd) (i32.const -1)) (then (return (i32.const -1))))
    ;; `","result":{"type":"`
    (if (i32.gt_u (i32.add (local.get $idEnd) (i32.const 20)) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.eqz
          (i32.and
            (i64.eq (i64.load (local.get $idEnd)) (i64.const 0x6c75736572222c22))
            (i32.and
              (i64.eq (i64.load offset=8 (local.get $idEnd)) (i64.const 0x707974227b3a2274))
              (i32.eq (i32.load offset=16 (local.get $idEnd)) (i32.const 0x223a2265)))))
      (then (return (i32.const -1))))
    (local.set $typeStart (i32.add (local.get $idEnd) (i32.const 20)))
    (local.set $typeEnd (call $plainEnd (local.get $typeStart) (local.get $end)))
    (if (i32.eq (local.get $typeEnd) (i32.const -1)) (then (return (i32.const -1))))
    ;; `,` or `}` after it
    (if (i32.ge_u (i32.add (local.get $typeEnd) (i32.const 1)) (local.get $end)) (then (return (i32.const -1))))
    (local.set $after (i32.load8_u offset=1 (local.get $typeEnd)))
    (if (i32.and (i32.ne (local.get $after) (i32.const 0x2c)) (i32.ne (local.get $after) (i32.const 0x7d)))
      (then (return (i32.const -1))))
    (if (i32.eqz (call $sound (i32.add (local.get $typeEnd) (i32.const 1)) (local.get $end))) (then (return (i32.const -1))))
    (if (i32.ge_u (i32.sub (local.get $typeEnd) (local.get $typeStart)) (i32.const 1024)) (then (return (i32.const -2))))
    (i32.add (i32.shl (local.get $idEnd) (i32.const 10)) (i32.sub (local.get $typeEnd) (local.get $typeStart))))

  ;; Past the digits at and after $i.
  (func $digits (param $i i32) (param $end i32) (result i32)
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (br_if $done (i32.eqz (call $isDigit (i32.load8_u (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more)))
    (local.get $i))

  ;; Past the JSON whitespace at and after $i.
  (func $spaces (param $i i32) (param $end i32) (result i32)
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (br_if $done (i32.eqz (call $isSpace (i32.load8_u (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more)))
    (local.get $i))

  ;; States: 0 a value, 1 after a value, 2 a key.
  (func $sound (export "sound") (param $i i32) (param $end i32) (result i32)
    (local $objects i32)
    (local $depth i32)
    (local $inResult i32)
    (local $state i32)
    (local $c i32)
    (local $keyStart i32)
    (local $length i32)
    (local $escaped i32)
    (local $v v128)
    (local $m i32)
    (local.set $objects (i32.const 3))
    (local.set $depth (i32.const 2))
    (local.set $inResult (i32.const 1))
    (local.set $state (i32.const 1))
    (block $closed
      (loop $main
        (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.le_u (local.get $c) (i32.const 0x20))
          (then
            (local.set $i (call $spaces (local.get $i) (local.get $end)))
            (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
            (local.set $c (i32.load8_u (local.get $i)))
            (if (i32.lt_u (local.get $c) (i32.const 0x20)) (then (return (i32.const 0))))))
        ;; After a value: `,` or the container's closing bracket.
        (if (i32.eq (local.get $state) (i32.const 1))
          (then
            (if (i32.eq (local.get $c) (i32.const 0x2c))
              (then
                (local.set $state
                  (select (i32.const 2) (i32.const 0) (i32.and (local.get $objects) (i32.const 1))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $main)))
            (if (i32.ne (local.get $c)
                  (select (i32.const 0x7d) (i32.const 0x5d) (i32.and (local.get $objects) (i32.const 1))))
              (then (return (i32.const 0))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $objects (i32.shr_u (local.get $objects) (i32.const 1)))
            (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
            (br_if $closed (i32.eqz (local.get $depth)))
            (if (i32.eq (local.get $depth) (i32.const 1)) (then (local.set $inResult (i32.const 0))))
            (br $main)))
        ;; A string: a key (then `:`) or a value. Its text is crossed 16 bytes at a time, up to
        ;; the next `"`, `\` or control byte.
        (if (i32.eq (local.get $c) (i32.const 0x22))
          (then
            (local.set $keyStart (i32.add (local.get $i) (i32.const 1)))
            (local.set $i (local.get $keyStart))
            (local.set $escaped (i32.const 0))
            (block $closedString
              (loop $scan
                (block $found
                  (loop $blocks
                    (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
                    (local.set $v (v128.load align=1 (local.get $i)))
                    (local.set $m
                      (i8x16.bitmask
                        (v128.or
                          (v128.or
                            (i8x16.eq (local.get $v) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))
                            (i8x16.eq (local.get $v) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
                          (i8x16.lt_u (local.get $v) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)))))
                    (br_if $found (local.get $m))
                    (local.set $i (i32.add (local.get $i) (i32.const 16)))
                    (br $blocks)))
                (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $m))))
                (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
                (local.set $c (i32.load8_u (local.get $i)))
                (if (i32.eq (local.get $c) (i32.const 0x22))
                  (then
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $closedString)))
                ;; A control character, or `\` at the end.
                (if (i32.ne (local.get $c) (i32.const 0x5c)) (then (return (i32.const 0))))
                (if (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $end)) (then (return (i32.const 0))))
                (local.set $escaped (i32.const 1))
                (local.set $c (i32.load8_u offset=1 (local.get $i)))
                (if (i32.eq (local.get $c) (i32.const 0x75))
                  (then
                    ;; `\uXXXX`: any four hex digits
                    (if (i32.gt_u (i32.add (local.get $i) (i32.const 6)) (local.get $end)) (then (return (i32.const 0))))
                    (if (i32.eqz
                          (i32.and
                            (i32.and (call $isHex (i32.load8_u offset=2 (local.get $i))) (call $isHex (i32.load8_u offset=3 (local.get $i))))
                            (i32.and (call $isHex (i32.load8_u offset=4 (local.get $i))) (call $isHex (i32.load8_u offset=5 (local.get $i))))))
                      (then (return (i32.const 0))))
                    (local.set $i (i32.add (local.get $i) (i32.const 6))))
                  (else
                    (if (i32.eqz (call $isEscape (local.get $c))) (then (return (i32.const 0))))
                    (local.set $i (i32.add (local.get $i) (i32.const 2)))))
                (br $scan)))
            (if (i32.ne (local.get $state) (i32.const 2))
              (then
                (local.set $state (i32.const 1))
                (br $main)))
            ;; A key.
            (if (i32.and
                  (i32.le_u (local.get $depth) (i32.const 2))
                  (i32.or (i32.eq (local.get $depth) (i32.const 1)) (local.get $inResult)))
              (then
                ;; A key that could repeat the head's: written with an escape, or the same.
                (if (local.get $escaped) (then (return (i32.const 0))))
                (local.set $length (i32.sub (i32.sub (local.get $i) (i32.const 1)) (local.get $keyStart)))
                (if (i32.eq (local.get $depth) (i32.const 1))
                  (then
                    ;; `custom_id`
                    (if (i32.and
                          (i32.eq (local.get $length) (i32.const 9))
                          (i32.and
                            (i64.eq (i64.load (local.get $keyStart)) (i64.const 0x695f6d6f74737563))
                            (i32.eq (i32.load8_u offset=8 (local.get $keyStart)) (i32.const 0x64))))
                      (then (return (i32.const 0))))
                    ;; `result`
                    (if (i32.and
                          (i32.eq (local.get $length) (i32.const 6))
                          (i32.and
                            (i32.eq (i32.load (local.get $keyStart)) (i32.const 0x75736572))
                            (i32.eq (i32.load16_u offset=4 (local.get $keyStart)) (i32.const 0x746c))))
                      (then (return (i32.const 0)))))
                  (else
                    ;; `type`
                    (if (i32.and
                          (i32.eq (local.get $length) (i32.const 4))
                          (i32.eq (i32.load (local.get $keyStart)) (i32.const 0x65707974)))
                      (then (return (i32.const 0))))))))
            (if (i32.lt_u (local.get $i) (local.get $end))
              (then
                (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x3a))
                  (then (local.set $i (call $spaces (local.get $i) (local.get $end)))))))
            (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
            (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x3a)) (then (return (i32.const 0))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $state (i32.const 0))
            (br $main)))
        ;; A key is a string.
        (if (i32.eq (local.get $state) (i32.const 2)) (then (return (i32.const 0))))
        ;; Another value.
        (if (i32.or (i32.eq (local.get $c) (i32.const 0x7b)) (i32.eq (local.get $c) (i32.const 0x5b)))
          (then
            (if (i32.eq (local.get $depth) (i32.const 31)) (then (return (i32.const 0))))
            (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
            (local.set $i (call $spaces (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
            (if (i32.eq (local.get $c) (i32.const 0x7b))
              (then
                (if (i32.lt_u (local.get $i) (local.get $end))
                  (then
                    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x7d))
                      (then
                        (local.set $i (i32.add (local.get $i) (i32.const 1)))
                        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
                        (local.set $state (i32.const 1))
                        (br $main)))))
                (local.set $objects (i32.or (i32.shl (local.get $objects) (i32.const 1)) (i32.const 1)))
                (local.set $state (i32.const 2)))
              (else
                (if (i32.lt_u (local.get $i) (local.get $end))
                  (then
                    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x5d))
                      (then
                        (local.set $i (i32.add (local.get $i) (i32.const 1)))
                        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
                        (local.set $state (i32.const 1))
                        (br $main)))))
                (local.set $objects (i32.shl (local.get $objects) (i32.const 1)))
                (local.set $state (i32.const 0))))
            (br $main)))
        (if (i32.eq (local.get $c) (i32.const 0x74))
          (then
            ;; true
            (if (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $end)) (then (return (i32.const 0))))
            (if (i32.ne (i32.load (local.get $i)) (i32.const 0x65757274)) (then (return (i32.const 0))))
            (local.set $i (i32.add (local.get $i) (i32.const 4))))
          (else
            (if (i32.eq (local.get $c) (i32.const 0x66))
              (then
                ;; false
                (if (i32.gt_u (i32.add (local.get $i) (i32.const 5)) (local.get $end)) (then (return (i32.const 0))))
                (if (i32.ne (i32.load offset=1 (local.get $i)) (i32.const 0x65736c61)) (then (return (i32.const 0))))
                (local.set $i (i32.add (local.get $i) (i32.const 5))))
              (else
                (if (i32.eq (local.get $c) (i32.const 0x6e))
                  (then
                    ;; null
                    (if (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $end)) (then (return (i32.const 0))))
                    (if (i32.ne (i32.load (local.get $i)) (i32.const 0x6c6c756e)) (then (return (i32.const 0))))
                    (local.set $i (i32.add (local.get $i) (i32.const 4))))
                  (else
                    ;; A number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
                    (if (i32.eq (local.get $c) (i32.const 0x2d))
                      (then
                        (local.set $i (i32.add (local.get $i) (i32.const 1)))
                        (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
                        (local.set $c (i32.load8_u (local.get $i)))))
                    (if (i32.eq (local.get $c) (i32.const 0x30))
                      (then (local.set $i (i32.add (local.get $i) (i32.const 1))))
                      (else
                        (if (i32.lt_u (i32.sub (local.get $c) (i32.const 0x31)) (i32.const 9))
                          (then (local.set $i (call $digits (i32.add (local.get $i) (i32.const 1)) (local.get $end))))
                          (else (return (i32.const 0))))))
                    (if (i32.lt_u (local.get $i) (local.get $end))
                      (then
                        (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x2e))
                          (then
                            (local.set $i (i32.add (local.get $i) (i32.const 1)))
                            (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
                            (if (i32.eqz (call $isDigit (i32.load8_u (local.get $i)))) (then (return (i32.const 0))))
                            (local.set $i (call $digits (i32.add (local.get $i) (i32.const 1)) (local.get $end)))))))
                    (if (i32.lt_u (local.get $i) (local.get $end))
                      (then
                        (if (i32.eq (i32.or (i32.load8_u (local.get $i)) (i32.const 0x20)) (i32.const 0x65))
                          (then
                            (local.set $i (i32.add (local.get $i) (i32.const 1)))
                            (if (i32.lt_u (local.get $i) (local.get $end))
                              (then
                                (if (i32.or
                                      (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x2b))
                                      (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x2d)))
                                  (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))))
                            (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
                            (if (i32.eqz (call $isDigit (i32.load8_u (local.get $i)))) (then (return (i32.const 0))))
                            (local.set $i (call $digits (i32.add (local.get $i) (i32.const 1)) (local.get $end)))))))))))))
        (local.set $state (i32.const 1))
        (br $main)))
    (i32.eq (call $spaces (local.get $i) (local.get $end)) (local.get $end))))
