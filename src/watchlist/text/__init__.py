"""Pure normalisers every name goes through, on both sides: any script to ASCII and each token to its
romanisation-neutral fold (`folding`), names to typed tokens (`tokens`), the forms a name is written in
and its family-name positions (`forms`), Korean romanisation (`hangul`), dates, countries and token
weights. No I/O beyond the bundled reference data."""
