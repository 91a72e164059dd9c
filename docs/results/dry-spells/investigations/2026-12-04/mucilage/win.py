import csv
def load(n): return {int(r['day']):r for r in csv.DictReader(open(f'/tmp/mucil/ts/{n}.csv'))}
R={n:load(n) for n in ['baseline','earlyDry','lateDry']}
def S(n,col,a,b,f=lambda r,c: float(r[c])): return sum(f(R[n][d],col) for d in range(a,b))
tot=lambda r,c: float(r['stStarch_umol'])+float(r['mesoStarch_umol'])
for lab,(a,b) in [('total 10-25',(10,25)),('early 11-18',(11,18)),('late 18-25',(18,25))]:
    print(lab)
    for col,f in [('exudation_umol',None),('mucilage_umol',None),('tipStarch_nmol',None),('stStarch_umol',None),('mesoStarch_umol',None),('all',tot),('tipSucrose_nmol',None),('growth_umol',None),('tips',None)]:
        g=f or (lambda r,c: float(r[c]))
        base=S('baseline',col,a,b,g)
        out=[f"{col:16s} base {base:10.3f}"]
        for n in ['earlyDry','lateDry']:
            v=S(n,col,a,b,g); out.append(f"{n} {v:10.3f} ({(v/base-1)*100:+6.1f}%)")
        print('  '+'  '.join(out))
