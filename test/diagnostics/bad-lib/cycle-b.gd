# part of bad/import-cycle.gd: imports it back
import "../bad/import-cycle.gd"
const k = 2
