// Regenerates crates/shop-core/data/regions.json, the shop's 省/市/区 tree,
// from the npm package @vant/area-data (the version pinned in
// tools/package.json; README, "Region data"). Never edit the JSON by hand:
// change the pin, `npm install` in tools/, and run this again.
//
// Output: [[code, name, [[code, name, [[code, name], …]], …]], …], the 31
// mainland provincial divisions (Hong Kong, Macao and Taiwan dropped: the
// shop does not deliver there), each level in the package's code order.
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const require = createRequire(new URL("../tools/package.json", import.meta.url));
const { areaList } = require("@vant/area-data");
const { version } = require("@vant/area-data/package.json");

const NOT_DELIVERED = new Set(["71", "81", "82"]); // 台湾, 香港, 澳门
const byCode = (list) => Object.entries(list).sort(([a], [b]) => a.localeCompare(b));

const tree = byCode(areaList.province_list)
  .filter(([code]) => !NOT_DELIVERED.has(code.slice(0, 2)))
  .map(([pcode, pname]) => [
    Number(pcode),
    pname,
    byCode(areaList.city_list)
      .filter(([code]) => code.slice(0, 2) === pcode.slice(0, 2))
      .map(([ccode, cname]) => [
        Number(ccode),
        cname,
        byCode(areaList.county_list)
          .filter(([code]) => code.slice(0, 4) === ccode.slice(0, 4))
          .map(([dcode, dname]) => [Number(dcode), dname]),
      ]),
  ]);

const out = fileURLToPath(new URL("../crates/shop-core/data/regions.json", import.meta.url));
writeFileSync(out, JSON.stringify(tree) + "\n");
const count = (level) => tree.flatMap((p) => (level === 1 ? [p] : p[2].flatMap((c) => (level === 2 ? [c] : c[2])))).length;
console.log(`@vant/area-data ${version}: ${count(1)} provinces, ${count(2)} cities, ${count(3)} districts -> ${out}`);
