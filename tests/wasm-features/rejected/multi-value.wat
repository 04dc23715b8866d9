;; multi-value (Chrome 85, Firefox 78, Safari 13.1): a function returning two values.
(module
  (func (result i32 i32) (i32.const 1) (i32.const 2)))
