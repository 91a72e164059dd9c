import { dataPath } from '../../src/io/paths.js';
import { readTextFile } from '../../src/io/files.js';
import { CARBON_PARAMS, HYDRAULIC_PARAMS, LEAF_PARAMS, paramDefaults } from '../../src/plant/plant-params.js';
import { PlantModel } from '../../src/plant/plant-model.js';
import { parsePlantXml } from '../../src/plant/xml-params.js';
import { SOILS } from '../../src/soil/van-genuchten.js';

/** The wheat of 004 (1 cm segments XML, seed 1, default parameters), grown structurally to `until_d`. */
export function wheatPlant(until_d = 10): PlantModel {
  const xml = dataPath('plant/Triticum_aestivum_test_2021_1cm.xml');
  return new PlantModel({
    plant: parsePlantXml(readTextFile(xml), xml),
    seed: 1,
    leaf: paramDefaults(LEAF_PARAMS),
    hydraulics: paramDefaults(HYDRAULIC_PARAMS),
    carbon: paramDefaults(CARBON_PARAMS),
    soil: SOILS.loam,
    interfaceDistance_cm: 0.01,
    structuralUntil_d: until_d,
  });
}
