/*
 * Build tool: fills a Turtle template for the bundle.
 *
 *   gen_ttl -t TEMPLATE -o OUT [-s BINARY] [-H HEADER] [MODEL.cwrnn ...]
 *
 * Replaces @URI@ (CW_URI), @BINARY@ (the shared object's file name) and
 * @PORTS_MONO@ / @PORTS_STEREO@ / @PORTS_INSTRUMENT@ (the port lists of
 * ports.c, with the given bundled models as the scale points of the model
 * port: the instrument's lists the instrument models, mono and stereo the
 * others). With -H it also
 * writes the C table of bundled model file names that instantiate() loads,
 * and which of them are instruments.
 * Every model is loaded and validated, so a bad bundled model fails the
 * build, and its name becomes the scale point's label.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cwrnn.h"
#include "ports.h"
#include "slot.h"
#include "uris.h"

typedef struct {
	const char *file;  /* basename */
	char label[CWRNN_NAME_MAX + 1];
	int instrument;    /* plays in the instrument plugin (cw_mode_of) */
} bundled;

static int
fatal(const char *what, const char *detail)
{
	fprintf(stderr, "gen_ttl: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	return 1;
}

static void
put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
put_number(FILE *f, float v)
{
	if (v == (float)(long)v)
		fprintf(f, "%ld", (long)v);
	else
		fprintf(f, "%.9g", (double)v);
}

static const char *
kind_types(cw_port_kind k)
{
	switch (k) {
	case CW_KIND_AUDIO_IN: return "lv2:InputPort , lv2:AudioPort";
	case CW_KIND_AUDIO_OUT: return "lv2:OutputPort , lv2:AudioPort";
	case CW_KIND_ATOM_IN: return "lv2:InputPort , atom:AtomPort";
	case CW_KIND_ATOM_OUT: return "lv2:OutputPort , atom:AtomPort";
	case CW_KIND_CONTROL_IN: return "lv2:InputPort , lv2:ControlPort";
	case CW_KIND_CONTROL_OUT: return "lv2:OutputPort , lv2:ControlPort";
	}
	return "";
}

/* Port i (cw_port_index) at lv2:index `index`; the model port's scale
 * points are the models this plugin plays: the instruments for the
 * instrument plugin (instrument = 1), the others for mono and stereo. */
static void
put_port(FILE *f, int i, int index, int stereo, const bundled *models, int n_models,
         int instrument)
{
	const cw_port_info *p = &cw_ports[i];
	const char *name = stereo && p->stereo_name ? p->stereo_name : p->name;
	int listed = 0;
	for (int m = 0; m < n_models; m++)
		listed += models[m].instrument == instrument;
	fprintf(f, "[\n\t\ta %s ;\n\t\tlv2:index %d ;\n\t\tlv2:symbol ", kind_types(p->kind),
	        index);
	put_string(f, cw_port_symbol(i, stereo));
	fputs(" ;\n\t\tlv2:name ", f);
	put_string(f, name);
	if (p->kind == CW_KIND_ATOM_IN)
		fputs(" ;\n\t\tatom:bufferType atom:Sequence ;\n"
		      "\t\tatom:supports patch:Message , midi:MidiEvent", f);
	if (p->kind == CW_KIND_ATOM_OUT)
		fputs(" ;\n\t\tatom:bufferType atom:Sequence ;\n\t\tatom:supports patch:Message", f);
	if (p->kind == CW_KIND_CONTROL_IN || p->kind == CW_KIND_CONTROL_OUT) {
		float max = i == CW_PORT_MODEL ? (float)(listed > 0 ? listed - 1 : 0) : p->max;
		fputs(" ;\n\t\tlv2:default ", f);
		put_number(f, p->def);
		fputs(" ;\n\t\tlv2:minimum ", f);
		put_number(f, p->min);
		fputs(" ;\n\t\tlv2:maximum ", f);
		put_number(f, max);
	}
	if (p->unit)
		fprintf(f, " ;\n\t\tunits:unit %s", p->unit);
	if (p->props & CW_PROP_ENABLED)
		fputs(" ;\n\t\tlv2:designation lv2:enabled", f);
	if (p->props & CW_PROP_LATENCY)
		fputs(" ;\n\t\tlv2:designation lv2:latency", f);
	if (p->props & CW_PROP_CONTROL)
		fputs(" ;\n\t\tlv2:designation lv2:control", f);
	const char *props[8];
	int np = 0;
	if (p->props & CW_PROP_INTEGER)
		props[np++] = "lv2:integer";
	if (p->props & CW_PROP_TOGGLED)
		props[np++] = "lv2:toggled";
	if (p->props & CW_PROP_ENUM)
		props[np++] = "lv2:enumeration";
	if (p->props & CW_PROP_LOG)
		props[np++] = "pprops:logarithmic";
	if (p->props & CW_PROP_TRIGGER)
		props[np++] = "pprops:trigger";
	if (p->props & CW_PROP_LATENCY)
		props[np++] = "lv2:reportsLatency";
	if (p->props & CW_PROP_OPTIONAL)
		props[np++] = "lv2:connectionOptional";
	for (int k = 0; k < np; k++)
		fprintf(f, "%s%s", k ? " , " : " ;\n\t\tlv2:portProperty ", props[k]);
	if (p->props & CW_PROP_ENUM) {
		for (int m = 0, k = 0; m < n_models; m++) {
			if (models[m].instrument != instrument)
				continue;
			fprintf(f, "%s[ rdfs:label ", k ? " , " : " ;\n\t\tlv2:scalePoint ");
			put_string(f, models[m].label);
			fprintf(f, " ; rdf:value %d ]", k++);
		}
	}
	fputs("\n\t]", f);
}

static void
put_ports(FILE *f, cw_plugin_kind kind, const bundled *models, int n_models)
{
	int n = cw_plugin_n_ports(kind);
	fputs("lv2:port ", f);
	for (int j = 0; j < n; j++) {
		if (j)
			fputs(" , ", f);
		put_port(f, cw_plugin_port(kind, j), j, kind != CW_PLUGIN_MONO, models, n_models,
		         kind == CW_PLUGIN_INSTRUMENT);
	}
}

static int
fill(const char *tpl_path, const char *out_path, const char *binary, const bundled *models,
     int n_models)
{
	FILE *in = fopen(tpl_path, "r");
	if (!in)
		return fatal("cannot read template", tpl_path);
	FILE *out = fopen(out_path, "w");
	if (!out) {
		fclose(in);
		return fatal("cannot write", out_path);
	}
	char line[4096];
	while (fgets(line, sizeof line, in)) {
		char *s = line;
		for (char *at; (at = strchr(s, '@'));) {
			fwrite(s, 1, (size_t)(at - s), out);
			static const char *const keys[] = { "@URI@", "@BINARY@", "@PORTS_MONO@",
			                                    "@PORTS_STEREO@", "@PORTS_INSTRUMENT@" };
			int key = -1;
			for (int k = 0; k < 5 && key < 0; k++)
				if (!strncmp(at, keys[k], strlen(keys[k])))
					key = k;
			switch (key) {
			case 0: fputs(CW_URI, out); break;
			case 1: fputs(binary ? binary : "", out); break;
			case 2: put_ports(out, CW_PLUGIN_MONO, models, n_models); break;
			case 3: put_ports(out, CW_PLUGIN_STEREO, models, n_models); break;
			case 4: put_ports(out, CW_PLUGIN_INSTRUMENT, models, n_models); break;
			default: fputc('@', out); break; /* @prefix and friends */
			}
			s = at + (key < 0 ? 1 : strlen(keys[key]));
		}
		fputs(s, out);
	}
	fclose(in);
	if (fclose(out) != 0) {
		remove(out_path);
		return fatal("cannot write", out_path);
	}
	return 0;
}

static int
write_header(const char *path, const bundled *models, int n_models)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return fatal("cannot write", path);
	fputs("/* Generated by gen_ttl: the bundled models, in the model port's order. */\n"
	      "static const char *const cw_bundled_models[] = {\n",
	      f);
	for (int m = 0; m < n_models; m++) {
		fputc('\t', f);
		put_string(f, models[m].file);
		fputs(",\n", f);
	}
	fputs("};\n/* 1: an instrument model (the instrument plugin's model port lists these) */\n"
	      "static const int cw_bundled_instrument[] = {", f);
	for (int m = 0; m < n_models; m++)
		fprintf(f, "%s%d", m ? ", " : "", models[m].instrument);
	fprintf(f, "%s};\n#define CW_N_BUNDLED %d\n", n_models ? "" : "0", n_models);
	return fclose(f) == 0 ? 0 : fatal("cannot write", path);
}

int
main(int argc, char **argv)
{
	const char *tpl = NULL, *out = NULL, *binary = NULL, *header = NULL;
	int i = 1;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "-t"))
			tpl = argv[i + 1];
		else if (!strcmp(argv[i], "-o"))
			out = argv[i + 1];
		else if (!strcmp(argv[i], "-s"))
			binary = argv[i + 1];
		else if (!strcmp(argv[i], "-H"))
			header = argv[i + 1];
		else
			return fatal("unknown option", argv[i]);
	}
	if (!tpl || !out)
		return fatal("usage: gen_ttl -t TEMPLATE -o OUT [-s BINARY] [-H HEADER] [MODEL...]",
		             NULL);
	int n_models = argc - i;
	bundled *models = calloc((size_t)(n_models > 0 ? n_models : 1), sizeof *models);
	if (!models)
		return fatal("out of memory", NULL);
	for (int m = 0; m < n_models; m++) {
		char msg[512];
		cwrnn_model *model = NULL;
		if (cwrnn_model_load(argv[i + m], &model, msg, sizeof msg) != CWRNN_OK)
			return fatal(argv[i + m], msg);
		char *file = strrchr(argv[i + m], '/');
		models[m].file = file ? file + 1 : argv[i + m];
		snprintf(models[m].label, sizeof models[m].label, "%s",
		         model->config.name[0] ? model->config.name : models[m].file);
		models[m].instrument = cw_mode_of(&model->config) == CW_MODE_INSTRUMENT;
		cwrnn_model_free(model);
	}
	int st = fill(tpl, out, binary, models, n_models);
	if (!st && header)
		st = write_header(header, models, n_models);
	free(models);
	return st;
}
