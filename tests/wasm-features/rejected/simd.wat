;; 128-bit SIMD (Chrome 91, Firefox 89, Safari 16.4): a v128 constant.
(module
  (func (result v128) (v128.const i32x4 0 0 0 0)))
