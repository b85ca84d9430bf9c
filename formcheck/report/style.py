"""The look every formcheck HTML page shares (session report, progress report)."""

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1000px;
color:#222;padding:0 1rem} h1{font-size:1.5rem;margin-bottom:.2rem} .muted{color:#666}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;font-size:.92rem} th{background:#f5f5f5}
.too_short{color:#b26b00} .in_range{color:#2e7d32} .too_long{color:#c62828}
.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #ddd;border-radius:8px;padding:.6rem 1rem;min-width:160px}
.card b{font-size:1.4rem;display:block}
.thumbs{display:flex;gap:.8rem;flex-wrap:wrap} .thumbs figure{margin:0;flex:1 1 440px;max-width:100%}
.thumbs figure img{width:100%;border-radius:6px;cursor:zoom-in}
.lightbox{display:none;position:fixed;inset:0;background:rgba(0,0,0,.88);z-index:10;align-items:center;
justify-content:center;cursor:zoom-out} .lightbox:target{display:flex}
.lightbox img{width:96vw;height:96vh;object-fit:contain;border-radius:0}
.when{font-size:1.05rem;margin-top:0}
.calendar td.day{width:1.6rem;height:1.3rem;padding:0;border:2px solid #fff;border-radius:4px}
.calendar td.stretched{background:#5cb85c} .calendar td.missed{background:#f3d9d9} .calendar td.outside{background:#eee}
.legend{font-size:.85rem;color:#555}
table.nowrap td{white-space:nowrap}
footer{margin-top:2rem;padding-top:1rem;border-top:1px solid #ddd;color:#555;font-size:.85rem}
"""
