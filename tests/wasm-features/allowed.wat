;; Uses exactly the two features the release wasm may use beyond the MVP;
;; scripts/wasm-features.sh checks this module passes.
(module
  ;; mutable-global: a mutable global imported or exported (the MVP allows
  ;; only immutable ones across the boundary).
  (global (export "counter") (mut i32) (i32.const 0))
  ;; sign-extension: i32.extend8_s and friends.
  (func (export "low_byte_signed") (param i32) (result i32)
    (i32.extend8_s (local.get 0))))
