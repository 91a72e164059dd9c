/**
 * The package's shipped data the browser models read, bundled into the worker as text (Vite `?raw`
 * imports) and handed to the models through core's package-data reader — the browser counterpart
 * of the Node reader that `io` installs. Only the files the calculators need are bundled.
 */
import { setPackageDataReader } from '../../core/data.js';
import hua2021 from '../../../data/radiocarbon/SoilR_Hua2021_all_zones.csv?raw';
import hua2013 from '../../../data/radiocarbon/SoilR_Hua2013_all_zones.csv?raw';
import graven2017 from '../../../data/radiocarbon/SoilR_Graven2017.csv?raw';
import israd from '../../../data/radiocarbon/ISRaD_Hua_2021.csv?raw';
import future from '../../../data/radiocarbon/ISRaD_future14C.csv?raw';
import trairhizo from '../../../data/trairhizo/output_random_rows.csv?raw';

const FILES: Readonly<Record<string, string>> = {
  'radiocarbon/SoilR_Hua2021_all_zones.csv': hua2021,
  'radiocarbon/SoilR_Hua2013_all_zones.csv': hua2013,
  'radiocarbon/SoilR_Graven2017.csv': graven2017,
  'radiocarbon/ISRaD_Hua_2021.csv': israd,
  'radiocarbon/ISRaD_future14C.csv': future,
  'trairhizo/output_random_rows.csv': trairhizo,
};

export function installBundledPackageData(): void {
  setPackageDataReader((relative) => {
    const text = FILES[relative];
    if (text === undefined) throw new Error(`data/${relative} is not bundled into the dashboard's calculators`);
    return { text, source: `data/${relative} (bundled)` };
  });
}
