package aurora.edge.sim;

/** One sample of the sensors, in the units the payload carries scaled to integers. */
record Reading(int batteryMv, int tempDeci, int humidityDeci, int vibrationCenti) {}
