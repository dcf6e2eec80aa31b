# imported by bad/import-brings-data.gd: data cannot be imported
const k = 2
data Z: [2] = ones
