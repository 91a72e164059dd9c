import { InputError, InputErrors } from '../core/errors.js';
import { declareParams, type ParamSpec } from '../core/params.js';

/**
 * Plant parameters as data (name, symbol, unit, default, range, source). Three groups: leaf gas
 * exchange, hydraulics, carbon. Values for wheat are 004's (published code of the paper, which
 * calibrates Giraud et al. 2023's CPlantBox plant) where 004 has them, otherwise standard
 * literature values, each with its source. Concentrations of sucrose are carried as carbon
 * (mol C per cm³ sieve tube; 1 mol sucrose = 12 mol C).
 */
const CODE_004 = '004 published code (TraiRhizo scripts: phloemParam, setKrKx_phloem, init_conductivities, weather)';
/** The phloem parameter set of 004's TraiRhizo scripts that the carbon defaults follow (docs/PLANT.md, "Sources"). */
const PHLOEM_004 = '004 TraiRhizo scripts, phloemParam() (PhloemPhotosynthesis.py)';
/** CPlantBox's phloem module (Plant-Root-Soil-Interactions-Modelling/CPlantBox, src/external/PiafMunch). */
const CPB_PM = 'CPlantBox src/external/PiafMunch/PiafMunch2.cpp PhloemFlux::C_fluxes';
/** 004's phloem growth rates (m-giraud/Giraud2025_CarbonStabilisation @ e54495a). */
const RMAX_004 = "004 code, dumux-rosi/experimental/fixedPointIter2/inputDataTraiRhizo/plantParameters.py:39–41 (phloemParam: r.setRmax_st([[2.4·2, 1.5·2, 0.6·2, 2.4·2], [2·2, 2·2], [8·2]]), rootFact = stemFact = leafFact = 2); used by CPlantBox runPM.cpp:798 PhloemFlux::waterLimitedGrowth";
const RMAX_USE = 'used only with the potential growth law code004 (src/plant/departures.ts): potential rate Rmax_st of';
/** 004's leaf (plant.laws.photosynthesis code004, departures.ts): CPlantBox photosynthesis in m-giraud/Giraud2025_CarbonStabilisation @ e54495a. */
const PS_CPP = 'CPlantBox src/functional/Photosynthesis.cpp (004 code, Giraud2025_CarbonStabilisation e54495a)';
const PS_H = 'CPlantBox src/functional/Photosynthesis.h (004 code)';
const PP_004 = '004 code fixedPointIter2 inputDataTraiRhizo/plantParameters.py phloemParam';
const WF_004 = '004 code fixedPointIter2 inputDataTraiRhizo/weatherFunctions.py weather()';
const ONLY_004 = 'used only with plant.laws.photosynthesis code004 (src/plant/departures.ts): ';

export const LEAF_PARAMS = declareParams('plant.leaf', [
  { name: 'vcmax25_umol_m2_s', symbol: 'V_cmax,25', unit: 'µmol CO2 m-2 s-1', default: 73.0, min: 1, max: 300, source: `${CODE_004}: 1.28·Chl + 8.33 with Chl from SPAD 41 (Giraud et al. 2023)`, description: 'maximal carboxylation rate at 25 °C' },
  { name: 'jmaxToVcmax', symbol: 'J_max/V_cmax', unit: '1', default: 1.5, min: 0.5, max: 4, source: `${CODE_004} (a3)`, description: 'ratio of maximal electron transport to carboxylation rate at 25 °C' },
  { name: 'rdToVcmax', symbol: 'R_d/V_cmax', unit: '1', default: 0.015, min: 0, max: 0.1, source: 'Collatz et al. (1991); Bonan (2019) ch. 11 (as CPlantBox Photosynthesis)', description: 'day respiration relative to V_cmax at 25 °C' },
  { name: 'quantumYield', symbol: 'α', unit: 'mol e- mol-1 photon', default: 0.4, min: 0.05, max: 0.9, source: `${CODE_004} (alpha)`, description: 'electron yield of incident PAR' },
  { name: 'curvature', symbol: 'θ', unit: '1', default: 0.6, min: 0.01, max: 0.99, source: `${CODE_004} (theta)`, description: 'curvature of the light response of J (non-rectangular hyperbola)' },
  { name: 'kc25_umol_per_mol', symbol: 'K_c,25', unit: 'µmol mol-1', default: 404.9, min: 100, max: 1000, source: 'Bernacchi et al. (2001) PCE 24:253', description: 'Michaelis constant of Rubisco for CO2 at 25 °C' },
  { name: 'ko25_mmol_per_mol', symbol: 'K_o,25', unit: 'mmol mol-1', default: 278.4, min: 50, max: 1000, source: 'Bernacchi et al. (2001)', description: 'Michaelis constant of Rubisco for O2 at 25 °C' },
  { name: 'gammaStar25_umol_per_mol', symbol: 'Γ*_25', unit: 'µmol mol-1', default: 42.75, min: 10, max: 100, source: 'Bernacchi et al. (2001)', description: 'CO2 compensation point without day respiration at 25 °C' },
  { name: 'o2_mmol_per_mol', symbol: 'O', unit: 'mmol mol-1', default: 210, min: 0, max: 500, source: 'atmospheric O2', description: 'intercellular O2 mole fraction' },
  { name: 'eaKc_J_per_mol', symbol: 'E_a,Kc', unit: 'J mol-1', default: 79430, min: 0, max: 2e5, source: 'Bernacchi et al. (2001)', description: 'activation energy of K_c' },
  { name: 'eaKo_J_per_mol', symbol: 'E_a,Ko', unit: 'J mol-1', default: 36380, min: 0, max: 2e5, source: 'Bernacchi et al. (2001)', description: 'activation energy of K_o' },
  { name: 'eaGammaStar_J_per_mol', symbol: 'E_a,Γ*', unit: 'J mol-1', default: 37830, min: 0, max: 2e5, source: 'Bernacchi et al. (2001)', description: 'activation energy of Γ*' },
  { name: 'eaRd_J_per_mol', symbol: 'E_a,Rd', unit: 'J mol-1', default: 46390, min: 0, max: 2e5, source: 'Bernacchi et al. (2001)', description: 'activation energy of R_d' },
  { name: 'haVcmax_J_per_mol', symbol: 'H_a,V', unit: 'J mol-1', default: 73637, min: 0, max: 2e5, source: 'Leuning (2002) PCE 25:1205, Table 2', description: 'activation energy of V_cmax (peaked Arrhenius)' },
  { name: 'hdVcmax_J_per_mol', symbol: 'H_d,V', unit: 'J mol-1', default: 149252, min: 0, max: 5e5, source: 'Leuning (2002), Table 2', description: 'deactivation energy of V_cmax' },
  { name: 'sVcmax_J_per_mol_K', symbol: 'S_V', unit: 'J mol-1 K-1', default: 486, min: 0, max: 1000, source: 'Leuning (2002), Table 2', description: 'entropy term of V_cmax' },
  { name: 'haJmax_J_per_mol', symbol: 'H_a,J', unit: 'J mol-1', default: 50300, min: 0, max: 2e5, source: 'Leuning (2002), Table 2', description: 'activation energy of J_max' },
  { name: 'hdJmax_J_per_mol', symbol: 'H_d,J', unit: 'J mol-1', default: 152044, min: 0, max: 5e5, source: 'Leuning (2002), Table 2', description: 'deactivation energy of J_max' },
  { name: 'sJmax_J_per_mol_K', symbol: 'S_J', unit: 'J mol-1 K-1', default: 495, min: 0, max: 1000, source: 'Leuning (2002), Table 2', description: 'entropy term of J_max' },
  { name: 'g0_mol_m2_s', symbol: 'g_0', unit: 'mol H2O m-2 s-1', default: 0.01, min: 0, max: 0.2, source: 'Leuning (1995) PCE 18:339 (residual conductance)', description: 'residual stomatal conductance to water vapour' },
  { name: 'a1', symbol: 'a_1', unit: '1', default: 9, min: 0.5, max: 50, source: 'Leuning (1995) model; value for C3 plants as in Wang & Leuning (1998) AFM 91:89', description: 'slope of the Leuning stomatal conductance (water vapour basis)' },
  { name: 'd0_kPa', symbol: 'D_0', unit: 'kPa', default: 1.5, min: 0.1, max: 10, source: 'Leuning (1995); Wang & Leuning (1998)', description: 'sensitivity of stomatal conductance to the vapour pressure deficit' },
  { name: 'gbw_mol_m2_s', symbol: 'g_b', unit: 'mol H2O m-2 s-1', default: 1.0, min: 0.01, max: 100, source: `${CODE_004}: boundary layer 1 mm / D_w 2.5e-5 m2 s-1 (r_bl = 40 s m-1)`, description: 'leaf boundary-layer conductance to water vapour' },
  { name: 'gasExchangeFaces', symbol: 'n_faces', unit: '1', default: 1, min: 1, max: 2, source: 'FvCB/Leuning fluxes are per projected (one-sided) leaf area, as V_cmax from SPAD (Farquhar et al. 1980; Leuning 1995); CPlantBox Photosynthesis::getAg4Phloem and MappedPlant::getPerimeter use 2 (both faces) — set 2 to reproduce 004', description: 'leaf faces over which the per-area gas exchange is counted (assimilation and transpiration)' },
  { name: 'fwPsiCrit_hPa', symbol: 'ψ_f', unit: 'hPa', default: -8375, min: -50000, max: -100, source: `${CODE_004} (p_lcrit, calibrated on Corso et al. 2020); form Tuzet et al. (2003) PCE 26:1097`, description: 'leaf water potential at half stomatal closure' },
  { name: 'fwSlope_per_hPa', symbol: 's_f', unit: 'hPa-1', default: 5e-4, min: 1e-6, max: 1e-1, source: `${CODE_004} (sh); Tuzet et al. (2003)`, description: 'steepness of the stomatal closure with leaf water potential' },
  { name: 'vcmaxRef004_umol_m2_s', symbol: 'V_cref (004)', unit: 'µmol CO2 m-2 s-1', default: 72.998672, min: 1, max: 300, source: `${PP_004} l.23–24, 90–92 (VcmaxrefChl1 1.28, VcmaxrefChl2 8.33, SPAD 41 → Chl (0.114 SPAD² + 7.39 SPAD + 10.6)/10 = 50.52); ${PS_CPP} l.568`, description: `${ONLY_004}maximal carboxylation rate at T_ref,004 (1.28·Chl + 8.33)` },
  { name: 'tRef004_K', symbol: 'T_ref (004)', unit: 'K', default: 293.2, min: 250, max: 330, source: `${PS_H} l.195 (Tref)`, description: `${ONLY_004}reference temperature of every Arrhenius factor` },
  { name: 'eaVcmax004_J_per_mol', symbol: 'E_a,V (004)', unit: 'J mol-1', default: 58520, min: 0, max: 2e5, source: `${PS_H} l.199 (Eav); ${PS_CPP} l.634`, description: `${ONLY_004}activation energy of V_cmax` },
  { name: 'eaJmax004_J_per_mol', symbol: 'E_a,J (004)', unit: 'J mol-1', default: 37000, min: 0, max: 2e5, source: `${PS_H} l.198 (Eaj); ${PS_CPP} l.642`, description: `${ONLY_004}activation energy of J_max (J_max = min(J_ref·Arr·breakdown, J_ref))` },
  { name: 'edBreakdown004_J_per_mol', symbol: 'E_d (004)', unit: 'J mol-1', default: 220000, min: 0, max: 5e5, source: `${PS_H} l.200 (Edv = Edj); ${PS_CPP} l.603–607, 634, 642 (Edv for both)`, description: `${ONLY_004}deactivation energy of the thermal breakdown 1/(1 + exp((S T − E_d)/(R T))) of V_cmax and J_max` },
  { name: 'sBreakdown004_J_per_mol_K', symbol: 'S (004)', unit: 'J mol-1 K-1', default: 700, min: 0, max: 1000, source: `${PS_H} l.202 (S)`, description: `${ONLY_004}entropy term of the thermal breakdown` },
  { name: 'eaRd004_J_per_mol', symbol: 'E_a,Rd (004)', unit: 'J mol-1', default: 53000, min: 0, max: 2e5, source: `${PS_H} l.199 (Eard); ${PS_CPP} l.631–635 (R_d = 0.015 V_cref Arr, no breakdown)`, description: `${ONLY_004}activation energy of R_d` },
  { name: 'kcRef004_umol_per_mol', symbol: 'K_c,ref (004)', unit: 'µmol mol-1', default: 302, min: 50, max: 1000, source: `${PS_H} l.204 (Kc_ref 302e-6)`, description: `${ONLY_004}Michaelis constant of Rubisco for CO2 at T_ref,004` },
  { name: 'koRef004_mmol_per_mol', symbol: 'K_o,ref (004)', unit: 'mmol mol-1', default: 256, min: 50, max: 1000, source: `${PS_H} l.204 (Ko_ref 256e-3)`, description: `${ONLY_004}Michaelis constant of Rubisco for O2 at T_ref,004` },
  { name: 'gammaStarRef004_umol_per_mol', symbol: 'Γ*_ref (004)', unit: 'µmol mol-1', default: 42.75, min: 10, max: 100, source: `${PS_H} l.205 (delta_ref 42.75e-6)`, description: `${ONLY_004}CO2 compensation point without R_d at T_ref,004` },
  { name: 'eaKc004_J_per_mol', symbol: 'E_a,Kc (004)', unit: 'J mol-1', default: 59430, min: 0, max: 2e5, source: `${PS_H} l.198 (Eac)`, description: `${ONLY_004}activation energy of K_c` },
  { name: 'eaKo004_J_per_mol', symbol: 'E_a,Ko (004)', unit: 'J mol-1', default: 36000, min: 0, max: 2e5, source: `${PS_H} l.198 (Eao)`, description: `${ONLY_004}activation energy of K_o` },
  { name: 'eaGammaStar004_J_per_mol', symbol: 'E_a,Γ* (004)', unit: 'J mol-1', default: 37830, min: 0, max: 2e5, source: `${PS_H} l.199 (Ead)`, description: `${ONLY_004}activation energy of Γ*` },
  { name: 'g0co2004_mol_m2_s', symbol: 'g_0,CO2 (004)', unit: 'mol CO2 m-2 s-1', default: 8e-6, min: 0, max: 0.1, source: `${PP_004} l.22 (g0); ${PS_CPP} l.777`, description: `${ONLY_004}residual stomatal conductance to CO2 (Tuzet et al. 2003 form)` },
  { name: 'a1Tuzet004', symbol: 'a_1 (004)', unit: '1', default: 1.5, min: 0.01, max: 50, source: `${PP_004} l.25 (a1 = 0.6/0.4); ${PS_CPP} l.766, 777`, description: `${ONLY_004}slope of c_i = (c_s a₁ f_w + Γ)/(1 + a₁ f_w) and of g_co2 = g₀ + f_w a₁ (A_n + R_d)/(c_i − Γ)` },
  { name: 'gm004_mol_m2_s', symbol: 'g_m (004)', unit: 'mol m-2 s-1', default: 0.03, min: 1e-6, max: 10, source: `${PP_004} l.65 (gm 0.03; a float in Photosynthesis.h l.138); ${PS_CPP} l.781–783`, description: `${ONLY_004}conductance g_m·f_w in series with stomata in the leaf's water path` },
  { name: 'boundaryResistance004_s_per_m', symbol: 'r_bl (004)', unit: 's m-1', default: 40, min: 0, max: 1e4, source: `${WF_004} l.49–51 (1 mm / 2.5e-5 m2 s-1); PhloemPhotosynthesis.py resistance2conductance`, description: `${ONLY_004}leaf boundary-layer resistance` },
  { name: 'canopyDiffusivity004_m2_s', symbol: 'K_canopy (004)', unit: 'm2 s-1', default: 0.1, min: 1e-6, max: 100, source: `${WF_004} l.53–55 (r_canopy = (2/3) h/2 / K_canopy, h = plant height)`, description: `${ONLY_004}mean eddy diffusivity of the canopy resistance` },
  { name: 'windSpeed004_m_s', symbol: 'u (004)', unit: 'm s-1', default: 2, min: 0.01, max: 100, source: `${WF_004} l.56–62 (r_air = ln((z − 2h/3)/(0.123 h)) ln((z − 2h/3)/(0.1 h))/(κ² u), κ 0.41)`, description: `${ONLY_004}wind speed of the aerodynamic resistance` },
  { name: 'windHeight004_m', symbol: 'z_m (004)', unit: 'm', default: 2, min: 0.1, max: 100, source: `${WF_004} l.57 (zmzh)`, description: `${ONLY_004}measurement height of the wind (must exceed 2/3 of the plant height)` },
] as const);

export const HYDRAULIC_PARAMS = declareParams('plant.hydraulics', [
  { name: 'krTap_cm_per_hPa_d', symbol: 'k_lat,x (tap, seminal)', unit: 'cm hPa-1 d-1', default: 6.37e-5, min: 0, max: 1e-2, source: `004 Sec. 2.3 and App. H; ${CODE_004} (setKrKx_xylem kr_r0)`, description: 'lateral conductivity of the immature zone of tap and seminal roots' },
  { name: 'krLateral_cm_per_hPa_d', symbol: 'k_lat,x (laterals)', unit: 'cm hPa-1 d-1', default: 7.9e-5, min: 0, max: 1e-2, source: `004 Sec. 2.3; ${CODE_004} (kr_r1, kr_r2)`, description: 'lateral conductivity of the immature zone of lateral roots' },
  { name: 'krLeaf_cm_per_hPa_d', symbol: 'k_lat,min (leaf)', unit: 'cm hPa-1 d-1', default: 3.83e-5, min: 0, max: 1e-1, source: `004 Sec. 2.3; ${CODE_004} (kr_l)`, description: 'lateral conductivity of the leaf vascular bundle sheath' },
  { name: 'immatureZone_cm', symbol: 'l_kr', unit: 'cm', default: 0.8, min: 0, max: 100, source: `004 App. H; ${CODE_004} (l_kr)`, description: 'length of the immature (conductive) zone behind a root tip' },
  { name: 'matureKrFraction', symbol: 'k_lat,mature/k_lat,immature', unit: '1', default: 0.015, min: 0, max: 1, source: '004 App. H (Bramley et al. 2007, Fig. 4.15: 1.45 %)', description: 'lateral conductivity of the mature zone relative to the immature zone' },
  { name: 'tapVesselRadius_cm', symbol: 'r_v (tap)', unit: 'cm', default: 0.0015, min: 1e-5, max: 0.05, source: `${CODE_004} (rad_x_r0)`, description: 'xylem vessel radius of tap/seminal roots' },
  { name: 'tapVessels', symbol: 'n_v (tap)', unit: '1', default: 4, min: 0, max: 1000, source: `${CODE_004}`, description: 'xylem vessels of tap/seminal roots' },
  { name: 'lateralVesselRadiusA_cm', symbol: 'r_v1 (lateral)', unit: 'cm', default: 0.00041, min: 1e-5, max: 0.05, source: `${CODE_004} (rad_x_r12)`, description: 'small xylem vessel radius of lateral roots' },
  { name: 'lateralVesselsA', symbol: 'n_v1 (lateral)', unit: '1', default: 4, min: 0, max: 1000, source: `${CODE_004}`, description: 'small xylem vessels of lateral roots' },
  { name: 'lateralVesselRadiusB_cm', symbol: 'r_v2 (lateral)', unit: 'cm', default: 0.00087, min: 1e-5, max: 0.05, source: `${CODE_004}`, description: 'large xylem vessel radius of lateral roots' },
  { name: 'lateralVesselsB', symbol: 'n_v2 (lateral)', unit: '1', default: 1, min: 0, max: 1000, source: `${CODE_004}`, description: 'large xylem vessels of lateral roots' },
  { name: 'stemBundles', symbol: 'n_b (stem)', unit: '1', default: 52, min: 0, max: 10000, source: `${CODE_004} (VascBundle_stem)`, description: 'vascular bundles of the stem' },
  { name: 'stemVesselRadiusA_cm', symbol: 'r_v1 (stem)', unit: 'cm', default: 0.0017, min: 1e-5, max: 0.05, source: `${CODE_004} (rad_x_s)`, description: 'large xylem vessel radius of stem bundles' },
  { name: 'stemVesselsA', symbol: 'n_v1 (stem)', unit: '1', default: 3, min: 0, max: 1000, source: `${CODE_004}`, description: 'large vessels per stem bundle' },
  { name: 'stemVesselRadiusB_cm', symbol: 'r_v2 (stem)', unit: 'cm', default: 0.0008, min: 1e-5, max: 0.05, source: `${CODE_004}`, description: 'small xylem vessel radius of stem bundles' },
  { name: 'stemVesselsB', symbol: 'n_v2 (stem)', unit: '1', default: 1, min: 0, max: 1000, source: `${CODE_004}`, description: 'small vessels per stem bundle' },
  { name: 'leafBundles', symbol: 'n_b (leaf)', unit: '1', default: 32, min: 0, max: 10000, source: `${CODE_004} (VascBundle_leaf)`, description: 'vascular bundles of a leaf' },
  { name: 'leafVesselRadiusA_cm', symbol: 'r_v1 (leaf)', unit: 'cm', default: 0.0015, min: 1e-5, max: 0.05, source: `${CODE_004} (rad_x_l)`, description: 'large xylem vessel radius of leaf bundles' },
  { name: 'leafVesselsA', symbol: 'n_v1 (leaf)', unit: '1', default: 2, min: 0, max: 1000, source: `${CODE_004}`, description: 'large vessels per leaf bundle' },
  { name: 'leafVesselRadiusB_cm', symbol: 'r_v2 (leaf)', unit: 'cm', default: 0.0005, min: 1e-5, max: 0.05, source: `${CODE_004}`, description: 'small xylem vessel radius of leaf bundles' },
  { name: 'leafVesselsB', symbol: 'n_v2 (leaf)', unit: '1', default: 2, min: 0, max: 1000, source: `${CODE_004}`, description: 'small vessels per leaf bundle' },
] as const);

export const CARBON_PARAMS = declareParams('plant.carbon', [
  { name: 'structuralC_molC_per_cm3', symbol: 'ρ_suc·12', unit: 'mol C cm-3 organ', default: 6e-3, min: 1e-4, max: 0.1, source: `${CODE_004} (rhoSucrose 0.5 mmol sucrose cm-3, all organs)`, description: 'structural carbon per organ volume' },
  { name: 'growthEfficiency', symbol: 'Y_G', unit: '1', default: 0.8, min: 0.3, max: 1, source: `${CODE_004} (Gr_Y)`, description: 'fraction of carbon used for growth that becomes structure (rest: growth respiration)' },
  { name: 'maintenanceLeaf_per_d', symbol: 'm_R,leaf', unit: 'mol C mol-1 C d-1', default: 0.0267, min: 0, max: 0.5, source: 'Penning de Vries et al. (1989) 0.03 g CH2O g-1 DM d-1 at 25 °C, × 0.4/0.45 (C in CH2O / in DM)', description: 'maintenance respiration coefficient of leaves at 25 °C' },
  { name: 'maintenanceStem_per_d', symbol: 'm_R,stem', unit: 'mol C mol-1 C d-1', default: 0.0133, min: 0, max: 0.5, source: 'Penning de Vries et al. (1989) 0.015 g CH2O g-1 DM d-1, × 0.4/0.45', description: 'maintenance respiration coefficient of stems at 25 °C' },
  { name: 'maintenanceRoot_per_d', symbol: 'm_R,root', unit: 'mol C mol-1 C d-1', default: 0.0089, min: 0, max: 0.5, source: 'Penning de Vries et al. (1989) 0.01 g CH2O g-1 DM d-1, × 0.4/0.45', description: 'maintenance respiration coefficient of roots at 25 °C' },
  { name: 'q10', symbol: 'Q_10', unit: '1', default: 2, min: 1, max: 4, source: 'Penning de Vries et al. (1989); CPlantBox PhloemFlux (Q10 = 2)', description: 'temperature sensitivity of maintenance respiration' },
  { name: 'maintenanceTref_C', symbol: 'T_ref', unit: '°C', default: 25, min: 0, max: 40, source: 'Penning de Vries et al. (1989)', description: 'reference temperature of the maintenance coefficients' },
  { name: 'kmMaintenance_molC_per_cm3', symbol: 'K_M,Rm', unit: 'mol C cm-3 st', default: 1.2e-3, min: 0, max: 0.1, source: `${CODE_004} (KMrm 0.1 mmol sucrose cm-3)`, description: 'half-saturation sucrose concentration of maintenance respiration' },
  { name: 'growthMinC_molC_per_cm3', symbol: 'C_min^st', unit: 'mol C cm-3 st', default: 2.4e-3, min: 0, max: 0.1, source: `${CODE_004} (CSTimin 0.2 mmol sucrose cm-3)`, description: 'sieve-tube sucrose below which there is no growth' },
  { name: 'kmGrowth_molC_per_cm3', symbol: 'K_M,Gr', unit: 'mol C cm-3 st', default: 2.4e-3, min: 1e-6, max: 0.1, source: 'CPlantBox PhloemFlux default (KMfu 0.2 mmol sucrose cm-3)', description: 'half-saturation (above C_min) of sucrose use for growth' },
  { name: 'growthOsmoticHead_cm', symbol: 'ψ_osmo', unit: 'cm', default: -4079, min: -1e5, max: 0, source: `CPlantBox PhloemFlux default psi_osmo_proto (−4000 hPa), used by ${CODE_004}; Lockhart (1965)`, description: 'osmotic head of growing cells (turgor = ψ_x − ψ_osmo)' },
  { name: 'growthYieldTurgor_cm', symbol: 'ψ_min (Y)', unit: 'cm', default: 2549, min: 0, max: 1e5, source: `${CODE_004} (psiMin 2500 hPa); Lockhart (1965) yield threshold`, description: 'turgor below which growing cells do not expand' },
  { name: 'leafGrowthZone_cm', symbol: 'l_gz,leaf', unit: 'cm', default: 2, min: 0, max: 1e6, source: `CPlantBox CPB_to_PM::getGrowingNodes (leafGrowthZone); ${PHLOEM_004} (leafGrowthZone 2 cm); grass leaves elongate in a basal zone inside the sheaths (Schnyder et al. 1990, Planta 181:423; Skinner & Nelson 1995, Crop Sci. 35:4)`, description: 'basal growth zone of leaves: leaf growth draws carbon and turgor at the node at its upper end' },
  { name: 'rmaxRoot1_cm_per_d', symbol: 'Rmax_st (root st 0)', unit: 'cm d-1', default: 4.8, min: 1e-3, max: 100, source: `${RMAX_004} (2.4·2)`, description: `${RMAX_USE} the first root subType defined (wheat: tap and basal roots, subType 1)` },
  { name: 'rmaxRoot2_cm_per_d', symbol: 'Rmax_st (root st 1)', unit: 'cm d-1', default: 3.0, min: 1e-3, max: 100, source: `${RMAX_004} (1.5·2)`, description: `${RMAX_USE} the second root subType defined (wheat: first-order laterals, subType 2)` },
  { name: 'rmaxRoot3_cm_per_d', symbol: 'Rmax_st (root st 2)', unit: 'cm d-1', default: 1.2, min: 1e-3, max: 100, source: `${RMAX_004} (0.6·2)`, description: `${RMAX_USE} the third root subType defined (wheat: second-order laterals, subType 3)` },
  { name: 'rmaxRoot4_cm_per_d', symbol: 'Rmax_st (root st 3)', unit: 'cm d-1', default: 4.8, min: 1e-3, max: 100, source: `${RMAX_004} (2.4·2)`, description: `${RMAX_USE} the fourth root subType defined (wheat: none)` },
  { name: 'rmaxStem1_cm_per_d', symbol: 'Rmax_st (stem st 0)', unit: 'cm d-1', default: 4, min: 1e-3, max: 100, source: `${RMAX_004} (2·2)`, description: `${RMAX_USE} the first stem subType defined (wheat: main stem and tillers, subType 1)` },
  { name: 'rmaxStem2_cm_per_d', symbol: 'Rmax_st (stem st 1)', unit: 'cm d-1', default: 4, min: 1e-3, max: 100, source: `${RMAX_004} (2·2)`, description: `${RMAX_USE} the second stem subType defined (wheat: none)` },
  { name: 'rmaxLeaf1_cm_per_d', symbol: 'Rmax_st (leaf st 0)', unit: 'cm d-1', default: 16, min: 1e-3, max: 100, source: `${RMAX_004} (8·2)`, description: `${RMAX_USE} the first leaf subType defined (wheat: leaves, subType 1)` },
  { name: 'exudationConductivity_cm_per_d', symbol: 'K_lat,st', unit: 'cm d-1', default: 0.05, min: 0, max: 100, source: 'PLANT.md (kr_st 5e−2 at tips); 004 Eqs 15–16', description: 'sieve-tube → soil permeability for passive exudation at growing tips' },
  { name: 'exudationThreshold_molC_per_cm3', symbol: 'C_thr,exud^st', unit: 'mol C cm-3 st', default: 4.8e-3, min: 0, max: 0.1, source: `${CPB_PM} (exudation driven by C_st − CSTimin, minus CSTimin_exud in versions that have it); ${PHLOEM_004} (CSTimin = CSTimin_exud = 0.2 mmol sucrose cm-3); 004 Sec. 2.3 (preferential use of carbon for growth over exudation)`, description: 'sieve-tube sucrose kept from exudation: q_exud = K_lat,st (C_st − C_thr − C_L^l)⁺' },
  { name: 'exudationCodeSoilThreshold_molC_per_cm3', symbol: 'CSTimin_exud', unit: 'mol C cm-3', default: 2.4e-3, min: 0, max: 0.1, source: `${CPB_PM} (CSTi_exud, Crsi_exud); ${PHLOEM_004} (CSTimin_exud 0.2 mmol sucrose cm-3)`, description: "used only with the exudation law code004 (src/plant/departures.ts): q_exud = K_lat,st (C_st − C_thr − (C_L^l − CSTimin_exud)⁺)⁺, C_thr = CSTimin + CSTimin_exud" },
  { name: 'mucilageRate_cm_per_d', symbol: 'k_mucil', unit: 'cm d-1', default: 1, min: 0, max: 100, source: `PLANT.md; 004 Eq 20; ${CODE_004} (k_mucil)`, description: 'first-order release of tip starch as mucilage' },
  { name: 'mucilageCodeRate_per_d', symbol: 'k_mucil (code)', unit: 'd-1', default: 1, min: 0, max: 100, source: `${CODE_004} (r.k_mucil = 1, setKr_mucilRootTip); CPlantBox PhloemFlux: mucilage = k_mucil × tip starch amount`, description: 'used only with the mucilage law code004 (src/plant/departures.ts): first-order release of the tip starch amount' },
  { name: 'starchRate_per_d', symbol: 'k_targ,starch', unit: 'd-1', default: 20, min: 0, max: 1e4, source: `${CODE_004} (k_S_ST = 5/25·100; Daudet et al. 2002)`, description: 'starch synthesis/degradation rate towards the target sucrose concentration (Eq 18)' },
  { name: 'starchTarget_molC_per_cm3', symbol: 'C_L,targ^st', unit: 'mol C cm-3 st', default: 4.8e-3, min: 0, max: 0.1, source: `${CODE_004} (C_targ = initValST = 0.4 mmol sucrose cm-3)`, description: 'target sieve-tube sucrose of starch synthesis/degradation' },
  { name: 'initialSucrose_molC_per_cm3', symbol: 'C_L,0^st', unit: 'mol C cm-3 st', default: 4.8e-3, min: 0, max: 0.1, source: `004 Eq 14; ${CODE_004} (initValST 0.4 mmol sucrose cm-3)`, description: 'initial sieve-tube sucrose' },
  { name: 'tapSieveTubeRadius_cm', symbol: 'r_st (tap)', unit: 'cm', default: 3.9e-4, min: 1e-6, max: 0.01, source: `${CODE_004} (setKrKx_phloem a_ST)`, description: 'sieve tube radius of tap/seminal roots' },
  { name: 'tapSieveTubes', symbol: 'n_st (tap)', unit: '1', default: 33, min: 0, max: 1e5, source: `${CODE_004} (numr0)`, description: 'sieve tubes of tap/seminal roots' },
  { name: 'lateralSieveTubeRadius_cm', symbol: 'r_st (lateral)', unit: 'cm', default: 3.5e-4, min: 1e-6, max: 0.01, source: `${CODE_004}`, description: 'sieve tube radius of lateral roots' },
  { name: 'lateralSieveTubes', symbol: 'n_st (lateral)', unit: '1', default: 25, min: 0, max: 1e5, source: `${CODE_004} (numr1)`, description: 'sieve tubes of lateral roots' },
  { name: 'stemSieveTubeRadius_cm', symbol: 'r_st (stem)', unit: 'cm', default: 1.9e-4, min: 1e-6, max: 0.01, source: `${CODE_004}`, description: 'sieve tube radius of stems' },
  { name: 'stemSieveTubes', symbol: 'n_st (stem)', unit: '1', default: 1092, min: 0, max: 1e6, source: `${CODE_004} (numS 21 × 52 bundles)`, description: 'sieve tubes of a stem' },
  { name: 'leafSieveTubeRadius_cm', symbol: 'r_st (leaf)', unit: 'cm', default: 2.5e-4, min: 1e-6, max: 0.01, source: `${CODE_004}`, description: 'sieve tube radius of leaves' },
  { name: 'leafSieveTubes', symbol: 'n_st (leaf)', unit: '1', default: 576, min: 0, max: 1e6, source: `${CODE_004} (numL 18 × 32 bundles)`, description: 'sieve tubes of a leaf' },
  { name: 'mesophyllVolumeFraction', symbol: 'V_meso/V_blade', unit: '1', default: 1, min: 0, max: 1, source: `${PHLOEM_004} (sameVolume_meso_seg: mesophyll volume = leaf segment volume, CPlantBox runPM.cpp initializePM_)`, description: 'volume of the leaf mesophyll compartment as a fraction of the blade volume (width × thickness a × length)' },
  { name: 'loadingRate_molC_per_cm_d', symbol: 'V_max,load', unit: 'mol C cm-1 d-1', default: 6e-4, min: 0, max: 1, source: `${PHLOEM_004} (Vmaxloading 0.05 mmol sucrose cm-1 d-1); loading law of ${CPB_PM} after Stanfield & Bartlett (2022)`, description: 'maximal active phloem loading per cm of leaf blade' },
  { name: 'loadingHalfSaturation_molC_per_cm3', symbol: 'K_load', unit: 'mol C cm-3', default: 2.4e-3, min: 1e-6, max: 0.1, source: `${PHLOEM_004} (Mloading 0.2 mmol sucrose cm-3)`, description: 'mesophyll sucrose at half the maximal loading' },
  { name: 'loadingFeedback_cm3_per_molC', symbol: 'β_load', unit: 'cm3 st mol-1 C', default: 50, min: 0, max: 1e4, source: `${PHLOEM_004} (beta_loading 0.6 cm3 mmol-1 sucrose = 50 cm3 mol-1 C)`, description: 'inhibition of loading by the sieve-tube sucrose, factor exp(−β_load C_st)' },
  { name: 'mesophyllStarchRate_per_d', symbol: 'k_targ,meso', unit: 'd-1', default: 20, min: 0, max: 1e4, source: `${PHLOEM_004} (k_S_Mesophyll = 5/25·100 d-1; Daudet et al. 2002)`, description: 'mesophyll starch synthesis/degradation rate towards the mesophyll target (Eq 18 form)' },
  { name: 'mesophyllStarchTarget_molC_per_cm3', symbol: 'C_targ,meso', unit: 'mol C cm-3', default: 7.2e-4, min: 0, max: 0.1, source: `${PHLOEM_004} (C_targMesophyll 0.06 mmol sucrose cm-3)`, description: 'target mesophyll sucrose of starch synthesis/degradation' },
  { name: 'initialMesophyll_molC_per_cm3', symbol: 'C_meso,0', unit: 'mol C cm-3', default: 7.2e-4, min: 0, max: 0.1, source: `${PHLOEM_004} (initValMeso 0.06 mmol sucrose cm-3)`, description: 'initial mesophyll sucrose' },
  { name: 'sieveTubeConductanceFactor', symbol: 'β_st', unit: '1', default: 0.9, min: 0, max: 1, source: `Thompson & Holbrook (2003) (sieve plates); ${CODE_004}`, description: 'fraction of Hagen–Poiseuille conductance left by sieve plates' },
  { name: 'sapViscosity_Pa_s', symbol: 'μ_st', unit: 'Pa s', default: 1.45e-3, min: 1e-4, max: 0.1, source: 'CRC Handbook of Chemistry and Physics: sucrose solution ≈ 12 % w/w (0.4 mol L-1) at 20 °C', description: 'viscosity of the sieve-tube sap (constant; CPlantBox updates it with concentration)' },
] as const);

type Names<T extends readonly ParamSpec[]> = T[number]['name'];
export type LeafParams = Record<Names<typeof LEAF_PARAMS>, number>;
export type HydraulicParams = Record<Names<typeof HYDRAULIC_PARAMS>, number>;
export type CarbonParams = Record<Names<typeof CARBON_PARAMS>, number>;

/** Defaults of a declared parameter group as an object. */
export function paramDefaults<T extends readonly ParamSpec[]>(specs: T): Record<Names<T>, number> {
  return Object.fromEntries(specs.map((s) => [s.name, s.default as number])) as Record<Names<T>, number>;
}

/**
 * Defaults overridden by `overrides` (from a scenario file); unknown names and values outside the
 * declared range become {@link InputError}s naming `file` and `keyPath.name`.
 */
export function resolveParams<T extends readonly ParamSpec[]>(
  specs: T,
  overrides: Readonly<Record<string, number>> | undefined,
  file: string,
  keyPath: string,
  locate: (key: string) => { line?: number; column?: number } = () => ({}),
): Record<Names<T>, number> {
  const out = paramDefaults(specs) as Record<string, number>;
  const errors: InputError[] = [];
  for (const [k, v] of Object.entries(overrides ?? {})) {
    const spec = specs.find((s) => s.name === k);
    if (!spec) errors.push(new InputError({ file, ...locate(k), keyPath: `${keyPath}.${k}`, expected: `one of the parameters ${specs.map((s) => s.name).join(', ')}` }));
    else if (!(typeof v === 'number' && v >= spec.min && v <= spec.max)) errors.push(new InputError({ file, ...locate(k), keyPath: `${keyPath}.${k}`, value: v, expected: `a number in [${spec.min}, ${spec.max}]${spec.unit === "1" ? "" : ` ${spec.unit}`}` }));
    else out[k] = v;
  }
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new InputErrors(errors);
  return out as Record<Names<T>, number>;
}
