;; nontrapping float-to-int (Chrome 75, Firefox 64, Safari 15): i32.trunc_sat_f32_s.
(module
  (func (result i32) (i32.trunc_sat_f32_s (f32.const 1.5))))
