;; bulk-memory (Chrome 75, Firefox 79, Safari 15): memory.fill.
(module
  (memory 1)
  (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 16))))
