"""Cross-cutting pieces every hub app may use: health probes, mail backend, base helpers."""
