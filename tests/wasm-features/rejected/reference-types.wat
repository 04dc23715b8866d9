;; reference-types (Chrome 96, Firefox 79, Safari 15): externref values.
(module
  (func (result externref) (ref.null extern)))
