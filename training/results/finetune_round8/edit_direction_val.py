"""Val-only exploration: cos(q, b) + mu * cos(offset, u_b - u_a)."""
import sys, numpy as np, torch
sys.path.insert(0, '/work/main')
from model.checkpoint import load_heads
from training.pairset import load_many
from training.retrieval import embed_pairset, scene_gallery, compose_rows
import glob

def unit(x): return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)

def r1(ps, A, T, heads, mu):
    hits = np.zeros(len(ps), bool)
    for scene in ps.scenes():
        pairs, gallery, target = scene_gallery(ps, scene)
        a = A[ps.a[pairs]]; q = compose_rows(heads, a, T[ps.t[pairs]], 1.0)
        off = unit(q - a); ua = unit(a); ub = unit(A[gallery]); uq = unit(q)
        s = uq @ ub.T
        if mu:
            # cos(off, ub - ua) = (off.ub - off.ua) / |ub - ua|
            num = off @ ub.T - np.sum(off * ua, 1, keepdims=True)
            den = np.sqrt(np.maximum(2 - 2 * ua @ ub.T, 1e-6))
            s = s + mu * num / den
        hits[pairs] = s.argmax(1) == target
    return {sc: hits[ps.scene == sc].mean() for sc in ps.scenes()} | {'all': hits.mean()}

sets = {'v2val': sorted(glob.glob('/work/main/data/features_v2/*/val')),
        'r1val': sorted(glob.glob('/work/main/data/finetune/features_r1/*/val'))}
mus = [0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5]
for h in sys.argv[1:]:
    heads = load_heads(h)
    for name, dirs in sets.items():
        ps = load_many(dirs); A, T = embed_pairset(heads, ps)
        for mu in mus:
            r = r1(ps, A, T, heads, mu)
            print(h.split('/')[-2], name, mu, ' '.join('%s %.3f' % kv for kv in r.items() if kv[0] in ('rain','traffic','all')), flush=True)
